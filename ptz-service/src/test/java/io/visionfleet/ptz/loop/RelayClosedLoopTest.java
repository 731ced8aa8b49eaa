package io.visionfleet.ptz.loop;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.common.testing.BrokerResource;
import io.visionfleet.ptz.service.PtzCameras;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * The loop end to end: two simulated cameras publish their views into the real relay (ingest-server), the real
 * frame-processor tracks them with its {@code motion} engine and publishes results on the broker, ptz-service steers the
 * simulated motors from those results, and the views change. The runner walks from camera A's side (pan -60..0) to
 * B's (0..60), pauses and walks back; the simulator's ground truth of every rendered picture tells what was in view.
 * This asserts what the loop does, as soon as it has done it: both cameras follow the runner and one hands it to the
 * other under the same label. How well it does (centring, zoom band, reversals, gaps) depends on how fast this machine
 * turns a picture into a command: {@link ClosedLoopBench} measures it on the wall clock (bench/ptz-loop/run.sh), and
 * the {@code sim/GroundTruth*} tests hold the controller to it on simulated time.
 */
@QuarkusTest
@WithTestResource(BrokerResource.class)
@WithTestResource(ClosedLoopResource.class)
@Tag("integration")
class RelayClosedLoopTest {
    static final List<String> CAMERAS = List.of("e2ea", "e2eb");
    /** Rendered pictures, per camera, in which its controller followed a target with the runner in view. */
    private static final int FOLLOWED = 15;

    @Inject
    PtzCameras cameras;

    @Test
    void tracksFromTheRealPipelineSteerBothCamerasAndTheRunnerIsHandedOverWithItsLabel() throws Exception {
        try (LoopRecorder loop = new LoopRecorder(cameras, CAMERAS)) {
            // the world's script (out, pause, back) takes 40 s and crosses from one camera to the other twice
            await("both cameras follow the runner and one hands it to the other under the same label")
                    .atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                    .until(() -> CAMERAS.stream().allMatch(camera -> followed(loop, camera) >= FOLLOWED && steered(loop, camera))
                            && LoopFigures.handoffs(loop.commands) > 0);
            System.out.println("figures of this run, held to no bar: " + loop.figures(ClosedLoopResource.PERIOD_FRAMES));
        }
    }

    /** Pictures of {@code camera} with the runner in view while its controller followed a target. */
    private static long followed(LoopRecorder loop, String camera) {
        return loop.seen.stream().filter(s -> s.camera().equals(camera) && s.onRunner()).count();
    }

    /** Whether {@code camera} was moved towards a target it followed. */
    private static boolean steered(LoopRecorder loop, String camera) {
        return loop.commands.stream().anyMatch(c -> camera.equals(c.path("camera_id").asText())
                && "move_relative".equals(c.path("command").asText()) && c.hasNonNull("target_id"));
    }
}
