package io.visionfleet.frameprocessor.sam2;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.visionfleet.sim.scene.GroundTruthScene;
import io.visionfleet.sim.scene.GroundTruthScenes;
import io.visionfleet.frameprocessor.support.RelayedScene;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The real ingest-server relaying the crossing scene (looped in real time) as stream {@value #STREAM}, the
 * contract-test SAM2 graphs in a model directory, and the service set to run the sam2 engine on them, seeded on
 * moving regions, against the test broker.
 */
public class Sam2RelayResource implements QuarkusTestResourceLifecycleManager {
    public static final String STREAM = "sam2cam";
    public static final int WIDTH = 320;
    public static final int HEIGHT = 180;
    private static final int FPS = 30;
    private static final int HTTP_PORT = 18781;
    private static final int RTSP_PORT = 18782;

    private RelayedScene relayed;

    @Override
    public Map<String, String> start() {
        GroundTruthScene scene = GroundTruthScenes.crossing(WIDTH, HEIGHT);
        Path dir = Path.of("target", "sam2-e2e");
        try {
            Files.createDirectories(dir);
            Sam2TestGraphs.write(dir.resolve("models"), "tiny", "fp32", 512, 32);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        relayed = RelayedScene.start(scene, FPS, dir.resolve(scene.name() + ".mp4"), STREAM, HTTP_PORT, RTSP_PORT);
        Map<String, String> config = new HashMap<>(relayed.config());
        config.put("quarkus.http.test-port", "18783"); // 18081 is shared by every other frame-processor test
        config.put("fleet.processor.engine", Sam2Engine.NAME);
        config.put("fleet.processor.prompt-strategy", "motion");
        config.put("fleet.processor.reprompt-interval", "5");
        config.put("fleet.processor.sam2.model-dir", dir.resolve("models").toAbsolutePath().toString());
        config.put("fleet.processor.sam2.provider", "cpu");
        return config;
    }

    @Override
    public void stop() {
        if (relayed != null) {
            relayed.close();
        }
    }
}
