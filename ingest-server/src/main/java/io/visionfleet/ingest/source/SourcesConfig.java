package io.visionfleet.ingest.source;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Pull sources ({@code fleet.sources.*}): streams the ingest server fetches itself instead of having them
 * pushed, relayed without re-encoding. For example:
 * <pre>
 * fleet.sources.streams.cam1.url=rtsp://user:password@192.168.1.64:554/Streaming/Channels/101
 * fleet.sources.streams.demo.url=file:/videos/demo.mp4
 * </pre>
 * More can be added and removed at run time with {@code POST /streams} and {@code DELETE /streams/{id}}.
 */
@ConfigMapping(prefix = "fleet.sources")
public interface SourcesConfig {
    /** Sources started with the server, by stream id (1-64 of {@code [A-Za-z0-9_.-]}). */
    Map<String, Source> streams();

    /**
     * The directory whose videos {@code POST /streams} may add as {@code file:} sources; any other path, {@code ..}
     * and symbolic links out of it included, is refused with 403 ({@link MediaDirectory}). {@code ./fleet} sets
     * {@code FLEET_HOME/media}.
     */
    @WithDefault(".fleet/media")
    Path mediaDir();

    /** Delay before the first reconnect after a source fails; it doubles on each further failure. */
    @WithDefault("2s")
    Duration reconnectInitialDelay();

    /** Upper bound of the reconnect delay. */
    @WithDefault("30s")
    Duration reconnectMaxDelay();

    /** Socket I/O timeout for RTSP sources: a camera silent this long counts as lost. */
    @WithDefault("5s")
    Duration ioTimeout();

    /** One pull source. */
    interface Source {
        /**
         * {@code rtsp://[user:password@]host[:port]/path} (also {@code rtsps://}), pulled over TCP; or
         * {@code file:/absolute/path} of an H.264 or H.265 video (MP4, MKV, raw {@code .h264} or {@code .h265}, ...) played in a loop at
         * its own pace.
         */
        String url();
    }
}
