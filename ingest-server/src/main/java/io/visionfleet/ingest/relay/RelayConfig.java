package io.visionfleet.ingest.relay;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The embedded RTSP relay ({@code fleet.relay.*}). */
@ConfigMapping(prefix = "fleet.relay")
public interface RelayConfig {
    /** TCP port the RTSP server listens on. */
    @WithDefault("8554")
    int port();

    /** Interface to bind. */
    @WithDefault("0.0.0.0")
    String bindHost();

    /** Host name put into advertised URLs ({@code rtsp://<advertised-host>:<port>/<stream>}). */
    @WithDefault("localhost")
    String advertisedHost();

    /**
     * Bytes a reader may have queued before the relay drops whole access units for it and resynchronises it at
     * the next IDR. Bounds memory per reader and keeps a stalled reader from slowing anyone else.
     */
    @WithDefault("4194304")
    int readerQueueBytes();

    /** Upper bound on the cached GOP that late joiners receive, in bytes; past it the cache is dropped until the next IDR. */
    @WithDefault("33554432")
    int gopCacheBytes();

    /** Seconds between RTCP sender reports to each reader. */
    @WithDefault("5")
    int senderReportSeconds();

    /** Seconds without any request or RTCP from a reader before its session is torn down. */
    @WithDefault("60")
    int sessionTimeoutSeconds();

    /**
     * A connection that is not playing must complete a request this soon after it connected or after its previous
     * request, or it gets 408 and is closed: idle connections and clients that drip a request never finish it
     * cannot hold the relay's connection slots.
     */
    @WithDefault("10s")
    Duration requestTimeout();

    /** Largest RTSP request (start line, headers and body) accepted, in bytes. */
    @WithDefault("16384")
    int maxRequestBytes();

    /** Largest interleaved ({@code $}) frame a client may send; clients only send RTCP reports of a few hundred bytes. */
    @WithDefault("2048")
    int maxInterleavedBytes();

    /** Event-loop threads serving RTSP connections (accept and I/O); separate from the HTTP server's threads. */
    @WithDefault("2")
    int ioThreads();

    /**
     * Simultaneous RTSP connections accepted. At the limit a new connection takes the place of the oldest one that is
     * not playing; when all are playing it gets 503 and is closed.
     */
    @WithDefault("256")
    int maxClients();

    /**
     * Streams open at once, whatever feeds them. Each holds a GOP cache of up to {@code gop-cache-bytes}, and any
     * valid id opens one (a WebSocket publisher, {@code POST /streams}), so further ones are refused with a reason.
     */
    @WithDefault("64")
    int maxStreams();

    /**
     * Kernel send buffer per reader socket ({@code SO_SNDBUF}), in bytes. Kept moderate so that a stalled reader
     * fills the relay's own bounded queue, where drops are counted, rather than megabytes of kernel buffer.
     */
    @WithDefault("262144")
    int sendBufferBytes();

    /**
     * How often every open stream is announced again as {@code stream.active} on {@code stream_events_exchange}, so
     * that service replicas started after a stream began still pick it up; 0 turns it off.
     */
    @WithDefault("30s")
    Duration announceInterval();
}
