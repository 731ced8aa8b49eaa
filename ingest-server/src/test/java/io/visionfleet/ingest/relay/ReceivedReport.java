package io.visionfleet.ingest.relay;

/** An RTCP sender report as a reader receives it. */
record ReceivedReport(int ssrc, long ntp, int rtpTimestamp, int packetCount, int octetCount) {

    static ReceivedReport parse(byte[] rtcp) {
        if ((rtcp[1] & 0xff) != SenderReport.PACKET_TYPE_SR || rtcp.length < 28) {
            throw new IllegalArgumentException("not a sender report");
        }
        return new ReceivedReport(readInt(rtcp, 4), ((long) readInt(rtcp, 8) << 32) | (readInt(rtcp, 12) & 0xffffffffL),
                readInt(rtcp, 16), readInt(rtcp, 20), readInt(rtcp, 24));
    }

    /** The NTP time as Unix epoch milliseconds. */
    long epochMs() {
        long seconds = (ntp >>> 32) - SenderReport.NTP_UNIX_OFFSET_SECONDS;
        long fraction = ntp & 0xffffffffL;
        return seconds * 1000 + ((fraction * 1000 + (1L << 31)) >>> 32);
    }

    private static int readInt(byte[] b, int i) {
        return ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
    }
}
