package io.visionfleet.frameprocessor.e2e;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.visionfleet.sim.scene.GroundTruthScene;
import io.visionfleet.sim.scene.GroundTruthScenes;
import io.visionfleet.sim.scene.SceneActor;
import io.visionfleet.sim.scene.Viewport;
import io.visionfleet.common.testing.RelayProcess;
import io.visionfleet.frameprocessor.support.RelayedScene;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real ingest-server relaying a ground-truth scene (looped in real time) as stream {@value #STREAM}, and the
 * service pointed at it and at the test broker. It follows only that stream, not stream events of other tests.
 */
public class SceneRelayResource implements QuarkusTestResourceLifecycleManager {
    public static final String STREAM = "synth";
    public static final int WIDTH = 480;
    public static final int HEIGHT = 270;
    public static final int FPS = 30;
    static final int LEAD_IN = 240;
    static final int HTTP_PORT = 18281;
    static final int RTSP_PORT = 18681;

    /** Per-stream state of a stream that sends nothing for this long is freed (short, so a test can watch it). */
    static final String STREAM_TIMEOUT = "5s";

    static GroundTruthScene scene;
    static Path clip;
    static RelayProcess relay;
    private RelayedScene relayed;

    /**
     * The crossing scenario after {@value #LEAD_IN} frames of empty scene: the service (which starts after the relay)
     * learns its background from an empty scene, as a real camera's would be most of the time, and every loop of the
     * clip begins with all previous tracks gone.
     */
    static GroundTruthScene scene() {
        GroundTruthScene crossing = GroundTruthScenes.crossing(WIDTH, HEIGHT);
        List<SceneActor> actors = crossing.actors().stream().map(a -> new SceneActor(a.id(), a.shape(), a.bgr(), a.width(),
                a.height(), a.depth(), a.path().stream()
                .map(w -> new SceneActor.Waypoint(w.frame() + LEAD_IN, w.x(), w.y())).toList())).toList();
        return new GroundTruthScene("crossing-after-lead-in", WIDTH, HEIGHT, crossing.frames() + LEAD_IN, actors, List.of(),
                frame -> Viewport.ORIGIN);
    }

    @Override
    public Map<String, String> start() {
        scene = scene();
        try {
            clip = Files.createDirectories(Path.of("target", "e2e")).resolve(scene.name() + ".mp4");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        relayed = RelayedScene.start(scene, FPS, clip, STREAM, HTTP_PORT, RTSP_PORT);
        relay = relayed.relay();
        Map<String, String> config = new HashMap<>(relayed.config());
        config.put("fleet.processor.overlay.max-fps", "15");
        config.put("fleet.consumer.session-idle-timeout", STREAM_TIMEOUT);
        return config;
    }

    @Override
    public void stop() {
        if (relayed != null) {
            relayed.close();
        }
    }
}
