package io.visionfleet.ingest.videoauth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Who may publish video into the ingest server and read it from the relay ({@code fleet.video-auth.*}). For example:
 * <pre>
 * fleet.video-auth.credentials.drones.user=drone
 * fleet.video-auth.credentials.drones.password=${DRONE_PASSWORD}
 * fleet.video-auth.credentials.drones.streams=drone-*
 * fleet.video-auth.credentials.drones.actions=publish
 * fleet.video-auth.credentials.services.user=reader
 * fleet.video-auth.credentials.services.password=${READER_PASSWORD}
 * fleet.video-auth.credentials.services.actions=read
 * </pre>
 * As environment variables: {@code FLEET_VIDEO_AUTH_CREDENTIALS_DRONES_PASSWORD} and so on. With no credentials at
 * all, only clients on the loopback interface may publish and read (the development default).
 */
@ConfigMapping(prefix = "fleet.video-auth")
public interface VideoAuthConfig {
    /** Credentials by a name of the operator's choosing (it only groups the keys). */
    Map<String, Credential> credentials();

    /** Realm named in RTSP and HTTP challenges. */
    @WithDefault("vision-fleet")
    String realm();

    /**
     * RTSP authentication schemes the relay offers in its 401 challenge: {@code digest} (RFC 7616 with MD5, as
     * cameras and MediaMTX offer it) and {@code basic}. A client that is offered both uses Digest. Both are accepted
     * whenever they are listed.
     */
    @WithDefault("digest,basic")
    List<Scheme> rtspSchemes();

    /** How long a Digest nonce may be used on a new connection; on its own connection it stays valid. */
    @WithDefault("60s")
    Duration nonceLifetime();

    /** Delay before answering a client's first wrong credentials; it doubles with each further failure. */
    @WithDefault("100ms")
    Duration failureDelay();

    /** Upper bound of that delay: a client is slowed down, never locked out. */
    @WithDefault("2s")
    Duration maxFailureDelay();

    /** One user, the streams it may use and what it may do with them. */
    interface Credential {
        /** User name. */
        String user();

        /** Password; compared in constant time and never logged. */
        String password();

        /**
         * Stream ids this user may use: a glob where {@code *} matches any run of characters and {@code ?} one
         * character ({@code drone-*}), or a regular expression after a {@code ~} ({@code ~cam[0-9]+}), matched
         * against the whole id.
         */
        @WithDefault("*")
        String streams();

        /** {@code publish} (WebSocket video and telemetry, pull sources), {@code read} (the RTSP relay), or both. */
        @WithDefault("publish,read")
        List<VideoAction> actions();
    }

    /** RTSP authentication schemes. */
    enum Scheme {
        DIGEST, BASIC
    }
}
