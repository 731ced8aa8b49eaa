package io.visionfleet.ptz.control;

import io.visionfleet.common.messages.ProcessedFrame;
import io.visionfleet.common.messages.TrackedObject;
import io.visionfleet.ptz.TestConfigs;
import io.visionfleet.ptz.config.PtzConfig;
import io.visionfleet.ptz.sim.SimulatedPtz;
import io.visionfleet.ptz.sim.Simulators;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Camera A's controller (pan -60..0, B on its right) on simulated motors.
 *
 * <p>Handoffs that go back the way they came: a camera that receives a target
 * turns to it at full speed, and the velocity of a track it measured meanwhile is still settling when the match is
 * made: that must not send the target straight back. And a neighbour that re-found the target under a new id may hand
 * back what A already follows: A must keep it, not drop it to look for it.
 *
 * <p>While a handoff is pending, the sender tells the receiver where it sees the target, frame by frame; the receiver
 * judges the candidates of an offer by their colours from the frame the offer came before (round 6).
 *
 * <p>Mode switches: leaving automatic control stops the velocity it left running.
 */
@Tag("quick")
class ControllerOnMotorsTest {
    private static final int W = 640;
    private static final int H = 360;
    private static final long FRAME_MS = 67;

    private final long[] nowMs = {1_000_000};
    private final RecordingRouter router = new RecordingRouter(true);
    private final List<String> commands = new ArrayList<>();
    private final PtzConfig.Camera config = TestConfigs.ptz(Map.of("cameras.a.stream", "a", "cameras.a.pan-min", "-60",
            "cameras.a.pan-max", "0", "cameras.a.home-pan", "-40", "cameras.a.neighbours.b", "right",
            "cameras.a.control.policy", "handoff", "cameras.a.appearance.enabled", "false")).cameras().get("a");
    private final Optics optics = new Optics(config.hfovDeg(), W, H);
    private final SimulatedPtz motors = Simulators.motors(config, () -> nowMs[0] * 1_000_000);
    private final CameraController a = new CameraController("a", config, motors, c -> commands.add(c.command()),
            () -> nowMs[0], router, AppearanceSource.NONE);

    @Test
    void aTargetJustAcquiredIsNotHandedStraightBackOnItsUnsettledVelocity() {
        a.offer(new Handoff("b", "person", 0, 0, -1, 0, nowMs[0], null));
        a.tick(false);
        long frame = 0;
        // 1.2 s of a person standing well outside the gate (15 degrees from where the target should be)
        for (; frame < 18; frame++) {
            a.onFrame(frameWithPersonAt(-15, frame));
        }
        assertThat(a.status().targetId()).as("nothing matched yet").isNull();
        // then it shows in the gate: a jump of 14 degrees in one frame, so its velocity points hard towards B
        for (long end = frame + 15; frame < end; frame++) {
            a.onFrame(frameWithPersonAt(-1, frame));
        }
        assertThat(router.acquiredBy).as("A acquired the handed-off target").containsExactly("a");
        assertThat(a.status().targetId()).isEqualTo(7L);
        assertThat(router.sentTo).as("handoffs A sent back").isEmpty();
    }

    @Test
    void aTargetHandedBackThatTheCameraAlreadyFollowsIsKept() {
        // A follows a person walking left at 2 deg/s from pan -10
        double pan = -10;
        for (long frame = 0; frame < 30; frame++) {
            pan -= 2 * FRAME_MS / 1000.0;
            a.onFrame(frameWithPersonAt(pan, frame));
        }
        assertThat(a.status().targetId()).isEqualTo(7L);
        commands.clear();
        a.offer(new Handoff("b", "person", pan, 0, -2, 0, nowMs[0], null));
        a.tick(false);
        assertThat(a.status().targetId()).as("still following it").isEqualTo(7L);
        assertThat(router.acquiredBy).as("B is told A has it").containsExactly("a");
        assertThat(commands).as("no turn to look for it").doesNotContain("move_to", "stop");
    }

    @Test
    void aCameraHandingOnTellsTheNeighbourWhereItSeesTheTargetUntilItIsAcquired() {
        // A follows a person walking right at 6 deg/s to its pan limit (0) and beyond
        double pan = -12;
        long frame = 0;
        for (; router.sentTo.isEmpty() && frame < 150; frame++) {
            pan += 6 * FRAME_MS / 1000.0;
            a.onFrame(frameWithPersonAt(pan, frame));
        }
        assertThat(router.sentTo).as("offered to B").containsExactly("b");
        for (long end = frame + 5; frame < end; frame++) {
            pan += 6 * FRAME_MS / 1000.0;
            a.onFrame(frameWithPersonAt(pan, frame));
        }
        assertThat(router.updates).as("one update a frame").hasSize(5);
        Handoff last = router.updates.get(router.updates.size() - 1);
        assertThat(last.fromCamera()).isEqualTo("a");
        assertThat(last.panDeg()).as("where A sees it in its latest frame").isCloseTo(pan, within(0.5));
        assertThat(last.timeMs()).isEqualTo(nowMs[0]);
        a.acquiredBy("b");
        a.onFrame(frameWithPersonAt(pan + 0.4, frame));
        assertThat(router.updates).as("none once B has it").hasSize(5);
    }

    @Test
    void aHandedOffTargetIsJudgedByItsColoursOnTheFrameTheOfferCame() {
        PtzConfig.Camera coloured = TestConfigs.ptz(Map.of("cameras.a.stream", "a", "cameras.a.pan-min", "-60",
                "cameras.a.pan-max", "0", "cameras.a.neighbours.b", "right", "cameras.a.control.policy", "handoff",
                "cameras.a.control.follow-by", "id")).cameras().get("a");
        float[] red = new float[128];
        red[0] = 1;
        float[] blue = new float[128];
        blue[100] = 1;
        // the pictures: person 7 blue, person 8 red
        AppearanceSource pictures = (ts, o, w, h) -> (o.id() == 8 ? red : blue).clone();
        CameraController c = new CameraController("a", coloured, motors, x -> { }, () -> nowMs[0],
                router, pictures);
        double here = motors.status().panDeg();
        c.onFrame(frameWith(Map.of(7L, here, 8L, here + 3), 0));
        assertThat(c.status().targetId()).as("following nobody until the offer").isNull();
        // B hands over the red target, predicted right where the blue person stands, 3 degrees from the red one
        c.offer(new Handoff("b", "person", here, 0, 0, 0, nowMs[0], red));
        c.onFrame(frameWith(Map.of(7L, here, 8L, here + 3), 1));
        assertThat(router.acquiredBy).containsExactly("a");
        assertThat(c.status().targetId()).as("the red one, not the blue one nearer the prediction").isEqualTo(8L);
    }

    @Test
    void switchingToManualStopsTheTurnAutomaticControlLeftRunning() {
        double pan = -10;
        for (long frame = 0; frame < 30; frame++) {
            pan -= 4 * FRAME_MS / 1000.0;
            a.onFrame(frameWithPersonAt(pan, frame));
        }
        assertThat(commands).contains("move_relative");
        assertThat(motors.status().moving()).as("following the walker").isTrue();
        a.configure(Mode.MANUAL, null, null, null, null);
        nowMs[0] += 1000; // past the motors' latency
        double stopped = motors.status().panDeg();
        nowMs[0] += 5000;
        assertThat(motors.status().moving()).isFalse();
        assertThat(motors.status().panDeg()).as("no drift towards the pan limit").isEqualTo(stopped);
        assertThat(stopped).isGreaterThan(-60);
    }

    @Test
    void resultsReplayedLongAfterTheirCaptureDoNotSteerTheCamera() {
        double home = motors.status().panDeg();
        // a publisher's outbox replays a minute-old walk at 8 deg/s, 20 degrees off the camera's axis: steering by it
        // would feed its speed forward over the whole minute
        double pan = home - 20;
        for (long frame = 0; frame < 30; frame++) {
            pan -= 8 * FRAME_MS / 1000.0;
            ProcessedFrame fresh = frameWithPersonAt(pan, frame);
            a.onFrame(new ProcessedFrame(fresh.schema(), fresh.streamId(), frame, nowMs[0] - 60_000, W, H,
                    fresh.engine(), fresh.objects(), 0));
        }
        a.tick(false);
        assertThat(commands).as("no command from stale results").isEmpty();
        assertThat(a.status().targetId()).isNull();
        assertThat(a.status().tracks()).as("nor tracks placed by where the camera pointed a minute ago").isZero();
        assertThat(motors.status().panDeg()).isEqualTo(home);
        // the live results after it steer as before
        for (long frame = 30; frame < 45; frame++) {
            pan -= 8 * FRAME_MS / 1000.0;
            a.onFrame(frameWithPersonAt(pan, frame));
        }
        assertThat(a.status().targetId()).isEqualTo(7L);
        assertThat(commands).contains("move_relative");
        nowMs[0] += 1000; // past the motors' latency
        assertThat(motors.status().panDeg()).as("turning towards the walker").isLessThan(home);
    }

    /** One result, delivered at once, with object 7 at {@code panDeg} seen from where the camera is now. */
    private ProcessedFrame frameWithPersonAt(double panDeg, long n) {
        return frameWith(Map.of(7L, panDeg), n);
    }

    /** One result, delivered at once, with a person per id at its pan (degrees) seen from where the camera is now. */
    private ProcessedFrame frameWith(Map<Long, Double> pans, long n) {
        nowMs[0] += FRAME_MS;
        double zoom = motors.status().zoom();
        List<TrackedObject> people = new ArrayList<>();
        pans.forEach((id, pan) -> {
            int x = (int) Math.round(W / 2.0 + optics.pixels(pan - motors.status().panDeg(), zoom));
            int[] box = {x - 15, H / 2 - 40, 30, 80};
            people.add(new TrackedObject(id, "person", 1.0, box, 30 * 80, null, null));
        });
        return new ProcessedFrame(ProcessedFrame.SCHEMA, "a", n, nowMs[0], W, H, "test", people, 0);
    }
}
