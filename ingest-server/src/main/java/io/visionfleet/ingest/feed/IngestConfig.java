package io.visionfleet.ingest.feed;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** WebSocket ingest ({@code fleet.ingest.*}). */
@ConfigMapping(prefix = "fleet.ingest")
public interface IngestConfig {
    /**
     * Largest NAL unit accepted from any feed, in bytes. Bigger units (garbage, or a stream without start codes)
     * are dropped and counted instead of growing a buffer without bound. 4 MiB holds an intra picture of a
     * high-bitrate 4K stream.
     */
    @WithDefault("4194304")
    int maxNalBytes();

    /** Stream id of the path without an id, {@code /ws/video}, kept from the original single-drone server. */
    @WithDefault("drone")
    String defaultStreamId();
}
