package io.visionfleet.ingest.relay;

/**
 * Maps capture time to the 90 kHz RTP clock of one stream: {@code rtp = offset + captureTs * 90 (mod 2^32)}.
 * Being a pure function of capture time, it gives a picture the same RTP timestamp for every reader, and the
 * sender reports built from it let each reader recover the capture time (see {@link SenderReport}).
 */
record RtpClock(int offset) {
    static final int CLOCK_RATE = 90_000;
    private static final int TICKS_PER_MS = CLOCK_RATE / 1000;

    int rtpTimestamp(long captureTs) {
        return (int) (offset + captureTs * TICKS_PER_MS);
    }
}
