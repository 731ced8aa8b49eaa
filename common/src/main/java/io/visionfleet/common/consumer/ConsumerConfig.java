package io.visionfleet.common.consumer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

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
     * User name of the relay's read credentials ({@code fleet.video-auth.credentials.*} of ingest-server), presented
     * with RTSP Basic or Digest, whichever the relay asks for. Unset: the user info of {@code relay-url}, if any,
     * else none (a relay without credentials serves clients on its own machine only).
     */
    Optional<String> relayUser();

    /** Password of {@code relay-user}; never logged or shown in status. */
    Optional<String> relayPassword();

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
     * reconnects. It also bounds how long shutdown waits for a blocked read or open (the connect and each request's
     * answer wait at most this long), so keep it at most 2 s for shutdown to finish within the 5 s after SIGTERM.
     */
    @WithDefault("2s")
    Duration ioTimeout();

    /**
     * Most frames per second handed to processing per stream, 0 for no cap. Frames in between are dropped and
     * counted. Decoded mode only: packet mode passes every packet.
     */
    @WithDefault("0")
    double maxFps();

    /**
     * A stream that delivered no frame for this long has its session (the service's per-stream state: pipeline,
     * tracker, recorder) closed as if it were unfollowed, so a stream that went away while still followed does
     * not hold memory until shutdown; its next frame opens a fresh session. 0 closes sessions only when their
     * stream is unfollowed or the service stops.
     */
    @WithDefault("60s")
    Duration sessionIdleTimeout();

    /**
     * Most streams pulled at once. Each costs a thread, a socket and a decoder, and any valid stream id can be
     * followed (stream events, {@code POST /streams/{id}/start}), so following more is refused with a reason.
     */
    @WithDefault("" + ConsumerSettings.DEFAULT_MAX_FOLLOWED)
    int maxFollowed();

    /**
     * Processing threads that all decoded streams share, 0 for one per core. Streams take them in turn, so when the
     * service cannot keep up every stream gets its share and the threads never outnumber the cores; the first takes
     * every turn it is free for, the others a stream that has waited 25 ms (at once while more streams wait than there
     * are threads), so only work that outgrows one thread keeps more than one runnable. Each stream also has a thread
     * of its own that reads and decodes it.
     */
    @WithDefault("0")
    int workers();

    /**
     * Threads OpenCV may use inside one frame's handling, in decoded mode (process-wide); 0 leaves OpenCV's default,
     * one per core. The processing threads already run one stream per core, so splitting one frame's work further
     * only adds hand-offs and spinning threads once several streams share the cores (docs/benchmarks.md, streams per
     * node); a single stream's frame takes longer with 1.
     */
    @WithDefault("1")
    int opencvThreads();

    /** Interval of the per-stream frame-rate log line; 0 turns it off. */
    @WithDefault("10s")
    Duration statsLogInterval();

    /** How replicas of this service share streams ({@code fleet.consumer.ownership.*}). */
    Ownership ownership();

    /**
     * Stream ownership across replicas. Off (the default, for one replica per service), the service pulls every
     * stream it hears of. On, every replica of the service claims streams through broker leases, so each stream is
     * processed by exactly one replica, spread across them and taken over when a replica dies.
     */
    interface Ownership {
        /** Share streams with the other replicas of the group instead of pulling every stream. */
        @WithDefault("false")
        boolean enabled();

        /** Most streams this replica owns at once (a GPU holds so many); 0 caps it only at its fair share. */
        @WithDefault("0")
        int maxStreams();

        /** Replicas that share streams with each other; defaults to {@code quarkus.application.name}. */
        Optional<String> group();

        /** This replica's name in leases, health, {@code GET /ownership} and the RabbitMQ UI; defaults to host name and process id. */
        Optional<String> replicaId();

        /** How often a replica claims unowned streams and hands on those above its fair share; bounds takeover time. */
        @WithDefault("2s")
        Duration claimInterval();

        /**
         * AMQP heartbeat of the lease connection. The broker drops the leases of a replica that went silent (hung,
         * cut off) after about twice this, and that replica stops its streams when it notices the same: the lease period.
         */
        @WithDefault("5s")
        Duration heartbeat();

        /**
         * How long after it first owns a stream a replica waits before it measures its capacity: frames cost more while
         * the JIT compilers warm up, and a capacity measured then would hand on streams the replica carries a minute
         * later. Until then it advertises the others' mean, which makes its share the fair share by count.
         */
        @WithDefault("60s")
        Duration warmUp();
    }
}
