package io.visionfleet.ptz.loop;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * The relay and frame-processor for {@link H265TrackingCommandsTest}, and one simulated camera whose view the test
 * itself publishes in H.265 (the simulator's own feed encodes H.264 only, so the camera gets no ingest URL).
 */
public class H265LoopResource implements QuarkusTestResourceLifecycleManager {
    static final int RELAY_HTTP = 18445;
    static final int RELAY_RTSP = 18446;
    static final int PROCESSOR_HTTP = 18447;
    static final String CAMERA = "hevc";
    static final String STREAM = "ptz-hevc";

    private RelayAndProcessor fleet;

    @Override
    public Map<String, String> start() {
        fleet = RelayAndProcessor.start(RELAY_HTTP, RELAY_RTSP, PROCESSOR_HTTP, STREAM);
        String p = "fleet.ptz.cameras." + CAMERA + ".";
        return Map.of(p + "stream", STREAM, p + "home-pan", "-45", p + "control.policy", "follow");
    }

    @Override
    public void stop() {
        if (fleet != null) {
            fleet.close();
        }
    }
}
