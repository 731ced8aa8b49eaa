package io.visionfleet.frameprocessor.support;

import io.visionfleet.sim.scene.GroundTruthScene;
import io.visionfleet.sim.scene.SyntheticVideo;
import io.visionfleet.common.testing.Broker;
import io.visionfleet.common.testing.RelayProcess;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A ground-truth scene encoded to {@code clip} and looped in real time by a real ingest-server relay as one stream,
 * and the configuration that points the service at that relay and the test broker. The service follows only that
 * stream, not the stream events of other tests.
 */
public record RelayedScene(RelayProcess relay, Map<String, String> config) implements AutoCloseable {
    public static RelayedScene start(GroundTruthScene scene, int fps, Path clip, String stream, int httpPort, int rtspPort) {
        SyntheticVideo.mp4(clip, scene.width(), scene.height(), fps, fps, scene.frames(), scene::render);
        RelayProcess relay = RelayProcess.start(httpPort, rtspPort);
        relay.addFileSource(stream, clip);
        Map<String, String> config = new HashMap<>(Broker.get().quarkusConfig());
        config.put("fleet.consumer.relay-url", relay.rtspBase());
        config.put("fleet.consumer.streams", stream);
        config.put("fleet.consumer.follow-stream-events", "false");
        return new RelayedScene(relay, config);
    }

    @Override
    public void close() {
        relay.close();
    }
}
