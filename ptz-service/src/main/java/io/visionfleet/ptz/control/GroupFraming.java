package io.visionfleet.ptz.control;

import io.visionfleet.ptz.driver.PtzStatus;

import java.util.List;

/**
 * The aim of {@code center_group}: the centre of the super-box of the visible tracks, its height (or its width through
 * the picture's aspect ratio, when that is the larger side) grown by the margin, and the tracks' mean velocity.
 */
final class GroupFraming {
    private GroupFraming() {
    }

    /**
     * @param then      the camera's position at the frame's capture
     * @param margin    fraction added to the box's size
     * @param mountSign -1 for a ceiling mount (picture directions inverted)
     * @return the aim; null when nothing is visible
     */
    static Aim frame(List<Track> visible, Optics optics, PtzStatus then, double margin, double mountSign) {
        if (visible.isEmpty()) {
            return null;
        }
        double left = Double.MAX_VALUE;
        double top = Double.MAX_VALUE;
        double right = -Double.MAX_VALUE;
        double bottom = -Double.MAX_VALUE;
        double panRate = 0;
        double tiltRate = 0;
        for (Track t : visible) {
            left = Math.min(left, t.left);
            right = Math.max(right, t.right);
            top = Math.min(top, t.top);
            bottom = Math.max(bottom, t.bottom);
            panRate += t.pan.velocity() / visible.size();
            tiltRate += t.tilt.velocity() / visible.size();
        }
        // frame the box with its margin: the zoom loop keeps the framed height in the band, so the box's width counts
        // through the picture's aspect ratio when it is the larger side
        double aspect = (double) optics.height() / optics.width();
        double framed = Math.max(bottom - top, (right - left) * aspect) * (1 + margin);
        double pan = then.panDeg() + mountSign * optics.degrees((left + right) / 2 - optics.width() / 2.0, then.zoom());
        double tilt = then.tiltDeg() - mountSign * optics.degrees((top + bottom) / 2 - optics.height() / 2.0, then.zoom());
        return new Aim(pan, tilt, framed / optics.height(), panRate, tiltRate);
    }
}
