package io.visionfleet.common.consumer;

import io.visionfleet.common.net.UrlCredentials;
import io.visionfleet.common.stream.StreamIds;

import java.time.Duration;
import java.util.Optional;

/**
 * The plain values one {@link RtspConsumer} needs, so tests can build consumers without CDI.
 *
 * @param relayUrl  base URL of the relay, with a trailing slash ({@code rtsp://host:8554/})
 * @param ioTimeout socket I/O timeout of a session
 * @param maxFps    processing rate cap per stream in decoded mode, 0 for none
 * @param sessionIdleTimeout how long a stream may deliver nothing before its session is closed, 0 for never
 * @param login     the relay's read credentials; given as user info in {@code relayUrl} they are moved here, so
 *                  that {@code relayUrl}, logs and status never show them
 * @param maxFollowed most streams pulled at once; following one more is refused
 * @param workers   processing threads shared by the streams in decoded mode, 0 for one per core
 */
public record ConsumerSettings(String relayUrl, Duration ioTimeout, double maxFps, Duration sessionIdleTimeout,
                               Optional<UrlCredentials.Login> login, int maxFollowed, int workers) {
    /** What {@code fleet.consumer.max-followed} defaults to. */
    public static final int DEFAULT_MAX_FOLLOWED = 64;

    public ConsumerSettings {
        if (!relayUrl.startsWith("rtsp://")) {
            throw new IllegalArgumentException("relay URL must be rtsp://host:port/, got " + UrlCredentials.redact(relayUrl));
        }
        if (login == null || login.isEmpty()) {
            login = UrlCredentials.loginOf(relayUrl);
        }
        relayUrl = UrlCredentials.withoutLogin(relayUrl);
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
        if (maxFollowed < 1) {
            throw new IllegalArgumentException("max followed streams must be at least 1, got " + maxFollowed);
        }
        if (workers < 0) {
            throw new IllegalArgumentException("workers must be 0 (one per core) or positive, got " + workers);
        }
    }

    /** Settings with the relay's credentials, if any, in {@code relayUrl}'s user info. */
    public ConsumerSettings(String relayUrl, Duration ioTimeout, double maxFps, Duration sessionIdleTimeout) {
        this(relayUrl, ioTimeout, maxFps, sessionIdleTimeout, Optional.empty(), DEFAULT_MAX_FOLLOWED, 0);
    }

    /** Settings whose sessions close only when their stream is unfollowed or the consumer closes. */
    public ConsumerSettings(String relayUrl, Duration ioTimeout, double maxFps) {
        this(relayUrl, ioTimeout, maxFps, Duration.ZERO);
    }

    public static ConsumerSettings of(ConsumerConfig config) {
        Optional<UrlCredentials.Login> login = config.relayUser().filter(user -> !user.isBlank())
                .map(user -> new UrlCredentials.Login(user, config.relayPassword().orElse("")));
        return new ConsumerSettings(config.relayUrl(), config.ioTimeout(), config.maxFps(),
                config.sessionIdleTimeout(), login, config.maxFollowed(), config.workers());
    }

    /** The RTSP URL of stream {@code id}, without credentials: for logs, health and status. */
    public String streamUrl(String id) {
        return relayUrl + StreamIds.require(id);
    }

    /** The URL a session opens: {@link #streamUrl} with the read credentials, if any. Never log it. */
    String sessionUrl(String id) {
        return login.map(l -> UrlCredentials.withLogin(streamUrl(id), l)).orElseGet(() -> streamUrl(id));
    }
}
