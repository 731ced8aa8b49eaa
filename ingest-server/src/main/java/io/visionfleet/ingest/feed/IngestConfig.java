package io.visionfleet.ingest.feed;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** WebSocket ingest ({@code fleet.ingest.*}). */
@ConfigMapping(prefix = "fleet.ingest")
public interface IngestConfig {
    /**
     * Largest NAL unit accepted from any feed, in bytes. Bigger units (garbage, or a stream without start codes)
     * are dropped and counted instead of growing a buffer without bound. 10 MiB holds the intra picture of a
     * high-bitrate 4K stream in one slice.
     */
    @WithDefault("10485760")
    int maxNalBytes();

    /** Largest access unit (picture) accepted from a WebSocket publisher, in bytes; bigger ones are dropped and counted. */
    @WithDefault("16777216")
    int maxAccessUnitBytes();

    /**
     * No picture or telemetry sample is stamped with a capture time more than this after it arrived: a sender time
     * further ahead is refused (a sender clock that runs ahead), and the server's own spacing never runs further.
     */
    @WithDefault("2s")
    Duration maxCaptureLead();

    /**
     * Nor more than this before it arrived: a stalled sender's backlog is older than the stall, a sender time older
     * than this is a wrong clock and refused.
     */
    @WithDefault("30s")
    Duration maxCaptureAge();

    /** Stream id of the path without an id, {@code /ws/video}, kept from the original single-drone server. */
    @WithDefault("drone")
    String defaultStreamId();
}
