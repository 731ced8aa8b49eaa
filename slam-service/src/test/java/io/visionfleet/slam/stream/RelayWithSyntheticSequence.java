package io.visionfleet.slam.stream;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.visionfleet.sim.camera.PinholeCamera;
import io.visionfleet.sim.camera.SyntheticSequence;
import io.visionfleet.common.testing.Broker;
import io.visionfleet.common.testing.RelayProcess;
import io.visionfleet.common.testing.SystemFfmpeg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Starts the real ingest-server relay (HTTP 18282, RTSP 18682) and points slam-service at it, with the synthetic
 * sequence's intrinsics configured for stream {@value #STREAM} and for {@value #HEVC_STREAM}, the same sequence in
 * H.265. The test adds the file sources itself, so it can bind its taps first.
 */
public class RelayWithSyntheticSequence implements QuarkusTestResourceLifecycleManager {
    static final String STREAM = "slamsynth";
    static final String HEVC_STREAM = "slamsynth-hevc";
    static final SyntheticSequence SEQUENCE = SyntheticSequence.standard(320, 240, false);
    static RelayProcess relay;

    @Override
    public Map<String, String> start() {
        relay = RelayProcess.start(18282, 18682);
        PinholeCamera c = SEQUENCE.camera();
        Map<String, String> config = new HashMap<>(Broker.get().quarkusConfig());
        config.put("fleet.consumer.relay-url", relay.rtspBase());
        config.put("fleet.consumer.streams", STREAM);
        config.put("fleet.consumer.follow-stream-events", "false");
        for (String stream : List.of(STREAM, HEVC_STREAM)) {
            String prefix = "fleet.slam.cameras." + stream + ".";
            config.put(prefix + "fx", format(c.fx()));
            config.put(prefix + "fy", format(c.fy()));
            config.put(prefix + "cx", format(c.cx()));
            config.put(prefix + "cy", format(c.cy()));
        }
        config.put("fleet.slam.output-dir", Path.of("target", "slam-e2e").toAbsolutePath().toString());
        return config;
    }

    static Path mp4() {
        return SEQUENCE.cached(Path.of("target", "synthetic")).mp4();
    }

    /**
     * The sequence re-encoded by libx265 (an IDR every second, as in the H.264 file); made once and moved into place
     * whole, like the H.264 file, so an interrupted run leaves no truncated clip to reuse.
     */
    static Path hevcMp4() throws IOException {
        Path h264 = mp4();
        Path hevc = h264.resolveSibling(h264.getFileName().toString().replace(".mp4", "-hevc.mp4"));
        if (!Files.isRegularFile(hevc)) {
            Path tmp = hevc.resolveSibling(ProcessHandle.current().pid() + "-" + hevc.getFileName());
            Files.move(SystemFfmpeg.x265Mp4(h264, SEQUENCE.fps(), tmp), hevc, StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        }
        return hevc;
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }

    @Override
    public void stop() {
        if (relay != null) {
            relay.close();
        }
    }
}
