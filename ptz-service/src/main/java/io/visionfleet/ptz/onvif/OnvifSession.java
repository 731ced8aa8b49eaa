package io.visionfleet.ptz.onvif;

import io.visionfleet.ptz.driver.PtzCapabilities;

import java.net.URI;

/**
 * What discovery found: the Media and PTZ service addresses, the profile, its PTZ node and the node's generic spaces
 * (null where the node has none).
 */
record OnvifSession(URI media, URI ptz, String profile, String node, Space absPanTilt, Space absZoom, Space relPanTilt,
                    Space relZoom, Space velPanTilt, Space velZoom, int maxPresets) {
    /** Stand-ins for the position spaces where the node has none: the generic ranges. */
    static final Space GENERIC_PAN_TILT = new Space(null, -1, 1, -1, 1);
    static final Space GENERIC_ZOOM = new Space(null, 0, 1, 0, 0);

    /** A range of a space, {@code uri} the space (sent with the move so the camera reads the numbers right). */
    record Space(String uri, double xMin, double xMax, double yMin, double yMax) {
        double clampX(double v) {
            return PtzCapabilities.clamp(v, xMin, xMax);
        }

        double clampY(double v) {
            return PtzCapabilities.clamp(v, yMin, yMax);
        }

        /** A pan/tilt vector of this space, clamped to its ranges. */
        OnvifRequest.Vector panTilt(double x, double y) {
            return new OnvifRequest.Vector(uri, clampX(x), clampY(y));
        }

        /** A zoom vector of this space, clamped to its range. */
        OnvifRequest.Vector zoom(double x) {
            return new OnvifRequest.Vector(uri, clampX(x), null);
        }
    }

    /** The absolute pan/tilt space, or the generic range where there is none. */
    Space positionPanTilt() {
        return absPanTilt != null ? absPanTilt : GENERIC_PAN_TILT;
    }

    /** The absolute zoom space, or the generic range where there is none. */
    Space positionZoom() {
        return absZoom != null ? absZoom : GENERIC_ZOOM;
    }
}
