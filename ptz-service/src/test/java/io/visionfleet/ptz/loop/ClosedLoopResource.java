package io.visionfleet.ptz.loop;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * The real fleet around ptz-service for the end-to-end loop: ingest-server (the relay) and frame-processor with the
 * motion engine, as child processes. ptz-service gets simulated cameras that publish into that relay.
 */
public class ClosedLoopResource implements QuarkusTestResourceLifecycleManager {
    static final int RELAY_HTTP = 18440;
    static final int RELAY_RTSP = 18441;
    static final int PROCESSOR_HTTP = 18442;
    static final String STREAM_A = "ptz-e2e-a";
    static final String STREAM_B = "ptz-e2e-b";
    static final int FPS = 15;
    /** Frames of one pass of the world's script (its default 40 s). */
    static final int PERIOD_FRAMES = 40 * FPS;

    private RelayAndProcessor fleet;

    @Override
    public Map<String, String> start() {
        fleet = RelayAndProcessor.start(RELAY_HTTP, RELAY_RTSP, PROCESSOR_HTTP, STREAM_A, STREAM_B);
        Map<String, String> config = new HashMap<>();
        camera(config, "e2ea", STREAM_A, "-60", "0", "-45", "e2eb", "right");
        camera(config, "e2eb", STREAM_B, "0", "60", "35", "e2ea", "left");
        return config;
    }

    private static void camera(Map<String, String> c, String id, String stream, String panMin, String panMax, String home,
                               String neighbour, String side) {
        String p = "fleet.ptz.cameras." + id + ".";
        c.put(p + "stream", stream);
        c.put(p + "pan-min", panMin);
        c.put(p + "pan-max", panMax);
        c.put(p + "home-pan", home);
        c.put(p + "neighbours." + neighbour, side);
        c.put(p + "control.policy", "handoff");
        c.put(p + "simulator.ingest-url", RelayAndProcessor.ingest(RELAY_HTTP).toString());
        c.put(p + "simulator.fps", Integer.toString(FPS));
    }

    @Override
    public void stop() {
        if (fleet != null) {
            fleet.close();
        }
    }
}
