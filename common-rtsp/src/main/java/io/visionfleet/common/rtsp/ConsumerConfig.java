package io.visionfleet.common.rtsp;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;

/** Which relay streams a consuming service pulls, and how ({@code fleet.consumer.*}). */
@ConfigMapping(prefix = "fleet.consumer")
public interface ConsumerConfig {
    /** Set to false to run the service without pulling any stream; health then reports the consumer as disabled. */
    @WithDefault("true")
    boolean enabled();

    /** Base URL of the RTSP relay; stream {@code id} is pulled from {@code <relay-url><id>}. */
    @WithDefault("rtsp://localhost:8554/")
    String relayUrl();

    /**
     * Streams pulled from start-up on and kept (retried with back-off) while they are absent from the relay.
     * Comma-separated stream ids.
     */
    @WithDefault("drone")
    List<String> streams();

    /**
     * Also pull every stream announced by {@code stream.started} on {@code stream_events_exchange} and stop pulling it
     * on {@code stream.stopped} (streams listed in {@code streams} keep being retried). A server-named auto-delete
     * queue receives the events, so a service that is down misses nothing it needs: it starts from config again.
     */
    @WithDefault("true")
    boolean followStreamEvents();

    /**
     * Socket I/O timeout of an RTSP session. A read that stalls this long ends the session and the consumer
     * reconnects. It also bounds how long shutdown waits for a blocked read: opening a session against a host
     * that accepts but never answers takes up to twice this (JavaCV retries a failed open once), so keep it at
     * most 2 s for shutdown to finish within the 5 s after SIGTERM.
     */
    @WithDefault("2s")
    Duration ioTimeout();

    /**
     * Most frames per second handed to processing per stream, 0 for no cap. Frames in between are dropped and
     * counted. Decoded mode only: packet mode passes every packet.
     */
    @WithDefault("0")
    double maxFps();

    /** Interval of the per-stream frame-rate log line; 0 turns it off. */
    @WithDefault("10s")
    Duration statsLogInterval();
}
