package io.visionfleet.ingest.dashboard;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The dashboard served at {@code /}: its sockets and its REST proxies to the services ({@code fleet.dashboard.*}). Who
 * may steer and view is the fleet token's business ({@code fleet.api.*}, docs/security.md).
 */
@ConfigMapping(prefix = "fleet.dashboard")
public interface DashboardConfig {
    /**
     * Added to the services' default ports 8081-8084, like {@code ./fleet}'s {@code FLEET_PORT_OFFSET}, which the
     * property file reads. Ignored for a service whose URL is set.
     */
    @WithDefault("0")
    int portOffset();

    /** frame-processor's base URL; default {@code http://localhost:(8081 + port-offset)}. */
    Optional<URI> processorUrl();

    /** slam-service's base URL; default {@code http://localhost:(8082 + port-offset)}. */
    Optional<URI> slamUrl();

    /** storage-service's base URL; default {@code http://localhost:(8083 + port-offset)}. */
    Optional<URI> storageUrl();

    /** ptz-service's base URL; default {@code http://localhost:(8084 + port-offset)}. */
    Optional<URI> ptzUrl();

    /** Time to open a connection to a service before the proxy answers 502. */
    @WithDefault("2s")
    Duration connectTimeout();

    /** Time a service may take to start answering before the proxy answers 504. */
    @WithDefault("15s")
    Duration proxyTimeout();

    /** Largest request body the proxy forwards (prompts and PTZ commands are small JSON documents). */
    @WithDefault("65536")
    int maxRequestBytes();

    /**
     * Bytes of video a browser viewer may have in flight; past it the viewer loses whole pictures up to the next
     * IDR (like an RTSP reader of the relay), so the relay never waits for it.
     */
    @WithDefault("2097152")
    int viewerQueueBytes();

    /** Result messages a viewer may have in flight; past it newer ones are dropped for that viewer and counted. */
    @WithDefault("256")
    int viewerQueueMessages();

    /** A viewer whose queue stays full this long is disconnected (a dead or hopeless peer). */
    @WithDefault("10s")
    Duration viewerStallTimeout();

    /** Frames per stream whose joined results are kept, for viewers who connect late and for joining late parts. */
    @WithDefault("150")
    int joinFrames();
}
