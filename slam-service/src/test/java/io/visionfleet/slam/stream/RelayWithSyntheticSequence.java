package io.visionfleet.slam.stream;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.visionfleet.sim.camera.PinholeCamera;
import io.visionfleet.sim.camera.SyntheticSequence;
import io.visionfleet.common.testing.Broker;
import io.visionfleet.common.testing.RelayProcess;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Starts the real ingest-server relay (HTTP 18282, RTSP 18682) and points slam-service at it, with the synthetic
 * sequence's intrinsics configured for stream {@value #STREAM}. The test adds the file source itself, so it can
 * bind its taps first.
 */
public class RelayWithSyntheticSequence implements QuarkusTestResourceLifecycleManager {
    static final String STREAM = "slamsynth";
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
        String prefix = "fleet.slam.cameras." + STREAM + ".";
        config.put(prefix + "fx", format(c.fx()));
        config.put(prefix + "fy", format(c.fy()));
        config.put(prefix + "cx", format(c.cx()));
        config.put(prefix + "cy", format(c.cy()));
        config.put("fleet.slam.output-dir", Path.of("target", "slam-e2e").toAbsolutePath().toString());
        return config;
    }

    static Path mp4() {
        return SEQUENCE.cached(Path.of("target", "synthetic")).mp4();
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
