package io.visionfleet.ptz.control;

import java.util.ArrayList;
import java.util.List;

/** A hand-off router for one camera's tests: sends are delivered or refused, and everything is recorded. */
final class RecordingRouter implements CameraController.HandoffRouter {
    final List<String> sentTo = new ArrayList<>();
    final List<Handoff> updates = new ArrayList<>();
    final List<String> acquiredBy = new ArrayList<>();
    private final boolean delivers;

    /** {@code delivers}: whether {@link #send} reaches the other camera (false: no such neighbour). */
    RecordingRouter(boolean delivers) {
        this.delivers = delivers;
    }

    @Override
    public boolean send(String toCamera, Handoff handoff) {
        sentTo.add(toCamera);
        return delivers;
    }

    @Override
    public void acquired(String toCamera, String byCamera) {
        acquiredBy.add(byCamera);
    }

    @Override
    public void update(String toCamera, Handoff handoff) {
        updates.add(handoff);
    }
}
