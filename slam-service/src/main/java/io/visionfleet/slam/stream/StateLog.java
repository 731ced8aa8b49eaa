package io.visionfleet.slam.stream;

import io.visionfleet.slam.tracking.TrackingState;
import org.jboss.logging.Logger;

/**
 * Logs a stream's tracking-state changes without flooding: at most one line per interval; changes in between
 * are counted and reported with the next line. A camera that flickers between lost and initialising costs one
 * log line every few seconds, not one per frame.
 */
final class StateLog {
    private static final Logger LOG = Logger.getLogger(StateLog.class);
    private static final long INTERVAL_NANOS = 5_000_000_000L;

    private final String streamId;
    private TrackingState last;
    private long lastLoggedAt;
    private boolean loggedOnce;
    private int suppressed;

    StateLog(String streamId) {
        this.streamId = streamId;
    }

    void observe(TrackingState state, int segment, String detail) {
        if (state == last) {
            return;
        }
        last = state;
        long now = System.nanoTime();
        if (loggedOnce && now - lastLoggedAt < INTERVAL_NANOS) {
            suppressed++;
            return;
        }
        LOG.infof("stream %s: %s (map segment %d)%s%s", streamId, state.wireName(), segment,
                detail == null ? "" : ": " + detail,
                suppressed > 0 ? " [" + suppressed + " other state changes in between]" : "");
        loggedOnce = true;
        lastLoggedAt = now;
        suppressed = 0;
    }
}
