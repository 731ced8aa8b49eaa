package io.visionfleet.frameprocessor.e2e;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.visionfleet.common.synth.GroundTruthScene;
import io.visionfleet.common.synth.GroundTruthScenes;
import io.visionfleet.common.synth.SceneActor;
import io.visionfleet.common.synth.SyntheticVideo;
import io.visionfleet.common.synth.Viewport;
import io.visionfleet.common.testing.Broker;
import io.visionfleet.common.testing.RelayProcess;

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

    static GroundTruthScene scene;
    private RelayProcess relay;

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
        Path clip;
        try {
            clip = Files.createDirectories(Path.of("target", "e2e")).resolve(scene.name() + ".mp4");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SyntheticVideo.mp4(clip, WIDTH, HEIGHT, FPS, FPS, scene.frames(), scene::render);
        relay = RelayProcess.start(HTTP_PORT, RTSP_PORT);
        relay.addFileSource(STREAM, clip);
        Map<String, String> config = new HashMap<>(Broker.get().quarkusConfig());
        config.put("fleet.consumer.relay-url", relay.rtspBase());
        config.put("fleet.consumer.streams", STREAM);
        config.put("fleet.consumer.follow-stream-events", "false");
        config.put("fleet.processor.overlay.max-fps", "15");
        return config;
    }

    @Override
    public void stop() {
        if (relay != null) {
            relay.close();
        }
    }
}
