package io.visionfleet.ingest.relay;

import java.util.Optional;

/**
 * The one transport the relay serves: RTP and RTCP interleaved on the RTSP connection (RFC 2326 10.12).
 * Over TCP every reader gets exactly what it can consume, and back-pressure is visible to the relay.
 */
record InterleavedTransport(int rtpChannel, int rtcpChannel) {
    private static final String TCP_PROFILE = "RTP/AVP/TCP";
    private static final String INTERLEAVED = "interleaved=";
    private static final String BAD_CHANNELS = "interleaved channels must be n or n-m, distinct, within 0-255";

    /**
     * The first interleaved TCP transport among those the client offers in its {@code Transport} header, with
     * the channels it asked for (0-1 when it named none); empty when it offers only other transports.
     *
     * @throws IllegalArgumentException when the interleaved channels are not {@code n} or {@code n-m} within 0-255
     */
    static Optional<InterleavedTransport> choose(String header) {
        if (header == null) {
            return Optional.empty();
        }
        for (String spec : header.split(",")) {
            String[] params = spec.split(";");
            if (!params[0].trim().equalsIgnoreCase(TCP_PROFILE)) {
                continue;
            }
            for (String param : params) {
                String trimmed = param.trim();
                if (trimmed.regionMatches(true, 0, INTERLEAVED, 0, INTERLEAVED.length())) {
                    return Optional.of(parseChannels(trimmed.substring(INTERLEAVED.length())));
                }
            }
            return Optional.of(new InterleavedTransport(0, 1));
        }
        return Optional.empty();
    }

    /** The {@code Transport} header of the SETUP response: exactly one transport. */
    String header() {
        return TCP_PROFILE + ";unicast;interleaved=" + rtpChannel + "-" + rtcpChannel;
    }

    private static InterleavedTransport parseChannels(String value) {
        String[] bounds = value.split("-", -1);
        if (bounds.length > 2) {
            throw new IllegalArgumentException(BAD_CHANNELS);
        }
        int rtp = channel(bounds[0]);
        int rtcp = bounds.length == 2 ? channel(bounds[1]) : rtp + 1;
        if (rtcp > 255 || rtcp == rtp) {
            throw new IllegalArgumentException(BAD_CHANNELS);
        }
        return new InterleavedTransport(rtp, rtcp);
    }

    private static int channel(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty() || trimmed.length() > 3 || !trimmed.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException(BAD_CHANNELS);
        }
        int channel = Integer.parseInt(trimmed);
        if (channel > 255) {
            throw new IllegalArgumentException(BAD_CHANNELS);
        }
        return channel;
    }
}
