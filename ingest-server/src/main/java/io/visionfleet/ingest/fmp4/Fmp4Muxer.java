package io.visionfleet.ingest.fmp4;

import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.common.h264.ParameterSets;

/**
 * Turns a relayed stream's access units, in decoding order, into a fragmented MP4 a browser's Media Source
 * Extensions play: an initialization segment at the first random access point and whenever the parameter sets
 * change, then one fragment per picture, sent as soon as it arrives. Times are milliseconds since the capture time of
 * the picture that began the segment ({@link #baseTs}), so a player maps a picture's presentation time back to its
 * {@code capture_ts}. Pictures are presented in decoding order (no composition offsets), as the relay's
 * low-latency sources send them.
 */
public final class Fmp4Muxer {
    public static final int TIMESCALE = 1000;
    /** A picture's duration before a second one says the frame interval. */
    private static final int FIRST_DURATION_MS = 33;
    /**
     * Durations are written at 1.5x the mean interval: a player treats a decode-time jump of more than twice the last
     * duration as a discontinuity and drops pictures up to the next key frame, so a late picture must not look like
     * one.
     */
    private static final double DURATION_MARGIN = 1.5;

    private ParameterSets sets;
    private SpsSummary sps;
    private long baseTs;
    private long lastTs;
    private double meanIntervalMs = FIRST_DURATION_MS;
    private int sequence;

    /**
     * A new initialization segment when {@code irap} (a random access point) carries parameter sets other than the
     * current ones; null when they are unchanged. {@link IllegalArgumentException} when its SPS is malformed.
     */
    public byte[] initFor(AccessUnit irap) {
        ParameterSets next = ParameterSets.update(null, irap);
        if (next == null || sets != null && sets.codec() == next.codec() && sameSets(sets, next)) {
            return null;
        }
        SpsSummary summary = SpsSummary.of(next.codec(), next.sps());
        sets = next;
        sps = summary;
        baseTs = irap.captureTs();
        lastTs = irap.captureTs();
        sequence = 0;
        return InitSegment.of(sets, sps, TIMESCALE);
    }

    /** The fragment of {@code au}; call {@link #initFor} first at random access points. */
    public byte[] fragment(AccessUnit au, boolean key) {
        if (sets == null) {
            throw new IllegalStateException("no initialization segment yet");
        }
        long interval = au.captureTs() - lastTs;
        if (interval > 0 && sequence > 0) {
            meanIntervalMs += (interval - meanIntervalMs) / 8;
        }
        lastTs = Math.max(lastTs, au.captureTs());
        long decodeTime = Math.max(0, au.captureTs() - baseTs);
        int duration = (int) Math.max(1, Math.round(meanIntervalMs * DURATION_MARGIN));
        return MediaFragment.of(++sequence, decodeTime, duration, au, key);
    }

    /** The capture time that presentation time 0 stands for. */
    public long baseTs() {
        return baseTs;
    }

    public int width() {
        return sps.width();
    }

    public int height() {
        return sps.height();
    }

    private static boolean sameSets(ParameterSets a, ParameterSets b) {
        for (int i = 0; i < a.sets().size(); i++) {
            if (!java.util.Arrays.equals(a.sets().get(i), b.sets().get(i))) {
                return false;
            }
        }
        return true;
    }
}
