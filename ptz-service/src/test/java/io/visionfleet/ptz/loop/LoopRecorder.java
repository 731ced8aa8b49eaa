package io.visionfleet.ptz.loop;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.testing.Broker;
import io.visionfleet.ptz.control.CameraController;
import io.visionfleet.ptz.driver.PtzCapabilities;
import io.visionfleet.ptz.service.PtzCameras;
import io.visionfleet.ptz.sim.SimWorld;
import io.visionfleet.ptz.sim.SimulatedFeed;
import io.visionfleet.sim.scene.FrameTruth;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * What a closed-loop run of simulated cameras shows, as it happens: every picture each camera renders, with the
 * simulator's truth of where the runner is in it and what the camera's controller was doing then, and every command on
 * {@code ptz_commands_exchange}. Closing detaches it.
 */
final class LoopRecorder implements AutoCloseable {
    /** One rendered picture of one camera, with what the controller was doing then. */
    record Seen(String camera, long frame, double timeS, int[] runner, int width, int height, Long targetId, String label,
                boolean atPanLimit) {
        boolean onRunner() {
            return targetId != null && runner != null;
        }
    }

    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final List<JsonNode> commands = new CopyOnWriteArrayList<>();
    private final PtzCameras cameras;
    private final Map<String, Consumer<SimulatedFeed.Rendered>> listeners = new HashMap<>();
    private final Connection connection;

    LoopRecorder(PtzCameras cameras, List<String> ids) throws IOException, TimeoutException {
        this.cameras = cameras;
        connection = Broker.get().connect();
        Channel channel = connection.createChannel();
        String queue = channel.queueDeclare().getQueue();
        channel.queueBind(queue, Exchanges.PTZ_COMMANDS, "");
        channel.basicConsume(queue, true, (tag, d) -> commands.add(Json.MAPPER.readTree(d.getBody())), tag -> { });
        for (String id : ids) {
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
    }

    /** The figures of what was recorded so far; the world's script repeats every {@code periodFrames}. */
    LoopFigures figures(int periodFrames) {
        return LoopFigures.of(seen, commands, periodFrames);
    }

    @Override
    public void close() throws IOException {
        listeners.forEach((id, l) -> cameras.feed(id).orElseThrow().removeListener(l));
        connection.close();
    }
}
