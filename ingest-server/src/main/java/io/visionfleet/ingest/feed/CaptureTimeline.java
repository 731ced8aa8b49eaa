package io.visionfleet.ingest.feed;

import java.util.Arrays;

/**
 * The capture time of each picture of one publisher, strictly increasing so that every picture gets its own RTP
 * timestamp, and no more than {@code maxLeadMs} after nor {@code maxAgeMs} before the picture's arrival. A sender
 * that runs more than {@code maxLeadMs} ahead of real time gets its pictures 1 ms apart, and only one sending over
 * 1000 pictures a second beyond that is stamped further ahead, a millisecond per picture, until it slows down.
 *
 * <ol>
 *   <li><b>The sender's time</b>, when it sent one, is taken exactly if it is later than the previous picture's
 *       and within those bounds of the arrival; otherwise it is refused (the reason is returned) and rule 2 applies.
 *   <li><b>From the arrival</b>, with the frame interval {@code I} (the mean of the recent arrival gaps near their median
 *       once {@value #MIN_GAPS} are known, the {@code video_config} frame rate before that, else 30 fps):
 *       <ul>
 *         <li>a picture after a silence (gap over 2I) fills the silence at the frame rate, previous + I but not
 *             after its arrival: a stalled sender's backlog follows it, captured during the silence;
 *         <li>a picture in a burst (gap under I/2) is previous + I: time is never compressed;
 *         <li>while the stamps are behind the arrivals (a backlog draining), the first two pictures in a row that
 *             arrive at about the frame rate go on filling: a pause in the drain is the network's, not the camera's;
 *         <li>otherwise (at about the frame rate, the third in a row when behind) a picture keeps its arrival time,
 *             at least I/2 after the previous one: the backlog is over, or there was none.
 *       </ul>
 * </ol>
 * Not thread-safe: the publisher's serial message processing drives it.
 */
final class CaptureTimeline {
    /** No sender time for this picture. */
    static final long NONE = Long.MIN_VALUE;
    private static final double DEFAULT_INTERVAL_MS = 1000 / 30.0;
    private static final int MIN_GAPS = 8;
    /** Pictures at about the frame rate, in a row, that show a backlog is over and the stream is live. */
    private static final int PACED_TO_CATCH_UP = 3;
    /** Gaps shorter than a 240 fps interval are bursts, not the frame rate, and are not measured. */
    private static final long MIN_MEASURED_GAP_MS = 4;

    /** A picture's capture time and, when its sender time was refused, why. */
    record Stamp(long captureTs, String refusal) {
    }

    private final long maxLeadMs;
    private final long maxAgeMs;
    private final long[] gaps = new long[32];
    private int gapCount;
    private int nextGap;
    private double configuredIntervalMs = DEFAULT_INTERVAL_MS;
    private boolean started;
    private long lastArrivalMs;
    private double last;
    private long lastMs;
    private boolean behind;
    private int pacedWhileBehind;

    CaptureTimeline(long maxLeadMs, long maxAgeMs) {
        this.maxLeadMs = maxLeadMs;
        this.maxAgeMs = maxAgeMs;
    }

    /** The frame rate the publisher announced; used until the arrivals have shown the real one. */
    void announcedFps(double fps) {
        configuredIntervalMs = 1000 / fps;
    }

    /** Stamps the next picture, which arrived at {@code arrivalMs} with sender time {@code senderTs} or {@link #NONE}. */
    Stamp next(long arrivalMs, long senderTs) {
        String refusal = senderTs == NONE ? null : refusal(arrivalMs, senderTs);
        double ts = senderTs != NONE && refusal == null ? senderTs : fromArrival(arrivalMs);
        if (started) {
            measure(arrivalMs - lastArrivalMs);
        }
        started = true;
        behind = ts < arrivalMs - interval() / 2;
        lastArrivalMs = arrivalMs;
        last = ts;
        lastMs = Math.round(ts);
        return new Stamp(lastMs, refusal);
    }

    private String refusal(long arrivalMs, long senderTs) {
        if (senderTs > arrivalMs + maxLeadMs) {
            return "capture_ts " + senderTs + " is " + (senderTs - arrivalMs) + " ms ahead of the server clock (limit "
                    + maxLeadMs + " ms)";
        }
        if (senderTs < arrivalMs - maxAgeMs) {
            return "capture_ts " + senderTs + " is " + (arrivalMs - senderTs) + " ms older than its arrival (limit "
                    + maxAgeMs + " ms)";
        }
        if (started && senderTs <= lastMs) {
            return "capture_ts " + senderTs + " is not after the previous picture's " + lastMs;
        }
        return null;
    }

    private double fromArrival(long arrivalMs) {
        if (!started) {
            return arrivalMs;
        }
        double interval = interval();
        long gap = arrivalMs - lastArrivalMs;
        pacedWhileBehind = gap < interval / 2 || !behind ? 0 : pacedWhileBehind + 1;
        double ts;
        if (gap > 2 * interval && !behind) {
            ts = Math.min(last + interval, arrivalMs);
        } else if (gap < interval / 2) {
            ts = last + interval;
        } else if (pacedWhileBehind > 0 && pacedWhileBehind < PACED_TO_CATCH_UP) {
            ts = Math.min(last + interval, arrivalMs);
        } else {
            ts = Math.max(arrivalMs, last + interval / 2);
        }
        ts = Math.max(Math.min(ts, arrivalMs + maxLeadMs), arrivalMs - maxAgeMs);
        return Math.max(ts, lastMs + 1);
    }

    /**
     * The mean of the recent gaps within half and twice their median: a stall's one long gap does not count, and
     * senders whose gaps alternate (a frame late, the next early) still average to their true rate.
     */
    private double interval() {
        if (gapCount < MIN_GAPS) {
            return configuredIntervalMs;
        }
        long[] recent = Arrays.copyOf(gaps, gapCount);
        Arrays.sort(recent);
        long median = recent[gapCount / 2];
        long sum = 0;
        int counted = 0;
        for (long gap : recent) {
            if (2 * gap >= median && gap <= 2 * median) {
                sum += gap;
                counted++;
            }
        }
        return sum / (double) counted;
    }

    private void measure(long gap) {
        if (gap >= MIN_MEASURED_GAP_MS) {
            gaps[nextGap] = gap;
            nextGap = (nextGap + 1) % gaps.length;
            gapCount = Math.min(gapCount + 1, gaps.length);
        }
    }
}
