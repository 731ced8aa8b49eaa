package io.visionfleet.common.rtsp;

import java.time.Duration;

/**
 * The plain values one {@link RtspConsumer} needs, so tests can build consumers without CDI.
 *
 * @param relayUrl  base URL of the relay, with a trailing slash ({@code rtsp://host:8554/})
 * @param ioTimeout socket I/O timeout of a session
 * @param maxFps    processing rate cap per stream in decoded mode, 0 for none
 * @param sessionIdleTimeout how long a stream may deliver nothing before its session is closed, 0 for never
 */
public record ConsumerSettings(String relayUrl, Duration ioTimeout, double maxFps, Duration sessionIdleTimeout) {
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
        if (sessionIdleTimeout.isNegative()) {
            throw new IllegalArgumentException("session idle timeout must be 0 (never) or positive, got "
                    + sessionIdleTimeout);
        }
    }

    /** Settings whose sessions close only when their stream is unfollowed or the consumer closes. */
    public ConsumerSettings(String relayUrl, Duration ioTimeout, double maxFps) {
        this(relayUrl, ioTimeout, maxFps, Duration.ZERO);
    }

    public static ConsumerSettings of(ConsumerConfig config) {
        return new ConsumerSettings(config.relayUrl(), config.ioTimeout(), config.maxFps(),
                config.sessionIdleTimeout());
    }

    /** The RTSP URL of stream {@code id}. */
    public String streamUrl(String id) {
        return relayUrl + StreamIds.require(id);
    }
}
