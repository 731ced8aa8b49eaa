package io.visionfleet.common.rtsp;

import java.time.Duration;

/**
 * The plain values one {@link RtspConsumer} needs, so tests can build consumers without CDI.
 *
 * @param relayUrl  base URL of the relay, with a trailing slash ({@code rtsp://host:8554/})
 * @param ioTimeout socket I/O timeout of a session
 * @param maxFps    processing rate cap per stream in decoded mode, 0 for none
 */
public record ConsumerSettings(String relayUrl, Duration ioTimeout, double maxFps) {
    public ConsumerSettings {
        if (!relayUrl.startsWith("rtsp://")) {
            throw new IllegalArgumentException("relay URL must be rtsp://host:port/, got " + relayUrl);
        }
        relayUrl = relayUrl.endsWith("/") ? relayUrl : relayUrl + "/";
        if (ioTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("I/O timeout must be at least 100 ms, got " + ioTimeout);
        }
        if (maxFps < 0 || Double.isNaN(maxFps)) {
            throw new IllegalArgumentException("max fps must be 0 (no cap) or positive, got " + maxFps);
        }
    }

    public static ConsumerSettings of(ConsumerConfig config) {
        return new ConsumerSettings(config.relayUrl(), config.ioTimeout(), config.maxFps());
    }

    /** The RTSP URL of stream {@code id}. */
    public String streamUrl(String id) {
        return relayUrl + StreamIds.require(id);
    }
}
