package io.visionfleet.ptz.loop;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.bus.Json;
import io.visionfleet.sim.scene.FrameTruth;
import io.visionfleet.common.testing.Broker;
import io.visionfleet.common.testing.BrokerResource;
import io.visionfleet.ptz.control.CameraController;
import io.visionfleet.ptz.driver.PtzCapabilities;
import io.visionfleet.ptz.service.PtzCameras;
import io.visionfleet.ptz.sim.SimWorld;
import io.visionfleet.ptz.sim.SimulatedFeed;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The loop end to end: two simulated cameras publish their views into the real relay (ingest-server), the real
 * frame-processor tracks them with its {@code motion} engine and publishes results on the broker, ptz-service steers the
 * simulated motors from those results, and the views change. The runner walks from camera A's side (pan -60..0) to
 * B's (0..60), pauses and walks back; the simulator's ground truth of every rendered picture is the yardstick.
 */
@QuarkusTest
@WithTestResource(BrokerResource.class)
@WithTestResource(ClosedLoopResource.class)
@Tag("integration")
class RelayClosedLoopTest {
    /** One rendered picture of one camera, with what the controller was doing then. */
    record Seen(String camera, long frame, double timeS, int[] runner, int width, int height, Long targetId, String label,
                boolean atPanLimit) {
    }

    @Inject
    PtzCameras cameras;

    @Test
    void tracksFromTheRealPipelineKeepTheRunnerCentredAndHandItOver() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        Map<String, Consumer<SimulatedFeed.Rendered>> listeners = new ConcurrentHashMap<>();
        for (String id : List.of("e2ea", "e2eb")) {
            CameraController controller = cameras.camera(id).orElseThrow();
            PtzCapabilities caps = controller.driver().capabilities();
            Consumer<SimulatedFeed.Rendered> l = r -> {
                int[] runner = r.truth().object(SimWorld.RUNNER).filter(FrameTruth.ObjectTruth::counted)
                        .map(FrameTruth.ObjectTruth::bbox).orElse(null);
                CameraController.Status s = controller.status();
                double pan = r.status().panDeg();
                seen.add(new Seen(id, r.frame(), r.captureTs() / 1000.0, runner, r.truth().width(), r.truth().height(),
                        s.targetId(), s.targetLabel(), pan <= caps.panMin() + 0.5 || pan >= caps.panMax() - 0.5));
            };
            listeners.put(id, l);
            cameras.feed(id).orElseThrow().addListener(l);
        }
        List<JsonNode> commands = Collections.synchronizedList(new ArrayList<>());
        try (Connection connection = Broker.get().connect(); Channel channel = connection.createChannel()) {
            String queue = channel.queueDeclare().getQueue();
            channel.queueBind(queue, Exchanges.PTZ_COMMANDS, "");
            channel.basicConsume(queue, true, (tag, d) -> commands.add(Json.MAPPER.readTree(d.getBody())), tag -> { });
            // a whole period of the world's script: out, pause, back
            Thread.sleep(Duration.ofSeconds(45).toMillis()); // the run's length, not a synchronisation
        } finally {
            listeners.forEach((id, l) -> cameras.feed(id).orElseThrow().removeListener(l));
        }
        LoopFigures figures = LoopFigures.of(seen, commands, 15, 600);
        System.out.println(figures);
        assertThat(figures.trackedFrames()).as("frames with the runner followed").isGreaterThan(150);
        assertThat(figures.p95Offset()).isLessThan(0.15);
        assertThat(figures.inBand()).isGreaterThan(0.8);
        assertThat(figures.reversalsPerCamera()).allSatisfy((camera, n) -> assertThat(n).isLessThanOrEqualTo(12));
        assertThat(figures.handoffs()).as("runner handed over with the same label").isGreaterThanOrEqualTo(1);
        assertThat(figures.longestGapS()).isLessThanOrEqualTo(2.0);
    }
}
