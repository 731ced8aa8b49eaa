package io.visionfleet.ingest.videoauth;

import org.jboss.logging.Logger;

import java.util.concurrent.TimeUnit;

/**
 * Logs refused video clients, at most {@code perMinute} lines a minute, counting the rest: a client guessing
 * passwords must not flood the log. Lines name the client, user and stream, never a password.
 */
public final class RefusalLog {
    private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Logger log;
    private final int perMinute;
    private long windowStart = System.nanoTime();
    private int used;
    private long suppressed;

    public RefusalLog(Logger log, int perMinute) {
        this.log = log;
        this.perMinute = perMinute;
    }

    public void refused(String what, String client, String reason) {
        long skipped;
        synchronized (this) {
            long now = System.nanoTime();
            if (now - windowStart >= MINUTE_NANOS) {
                windowStart = now;
                used = 0;
            }
            if (used == perMinute) {
                suppressed++;
                log.debugf("%s from %s refused: %s", what, client, reason);
                return;
            }
            used++;
            skipped = suppressed;
            suppressed = 0;
        }
        log.infof("%s from %s refused: %s%s", what, client, reason,
                skipped == 0 ? "" : " (" + skipped + " other refusals not logged)");
    }
}
