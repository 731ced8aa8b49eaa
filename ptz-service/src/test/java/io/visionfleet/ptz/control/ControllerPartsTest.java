package io.visionfleet.ptz.control;

import io.visionfleet.common.messages.PtzCommand;
import io.visionfleet.ptz.TestConfigs;
import io.visionfleet.ptz.config.PtzConfig;
import io.visionfleet.ptz.driver.PtzStatus;
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
 * The controller's parts alone: target choice, group framing, the zoom law, when speeds are worth a command, and which
 * track a handoff is matched to.
 */
@Tag("quick")
class ControllerPartsTest {
    private final PtzConfig.Camera config = TestConfigs.ptz(Map.of("cameras.c.stream", "c")).cameras().get("c");
    private final Optics optics = new Optics(60, 640, 360);

    /** A track seen at pan {@code pan} over a second of frames moving at {@code rate} deg/s, with a box and area. */
    private static Track track(long id, double pan, double rate, long area, double left, double top, double right,
                               double bottom) {
        Track t = new Track(id, 0);
        t.label = "person";
        for (int i = 0; i <= 15; i++) {
            t.pan.update(pan - rate * (15 - i) / 15.0, 1 / 15.0);
            t.tilt.update(0, 1 / 15.0);
        }
        t.area = area;
        t.left = left;
        t.top = top;
        t.right = right;
        t.bottom = bottom;
        t.height = bottom - top;
        return t;
    }

    @Test
    void targetChoiceByLargestFastestAndId() {
        Track big = track(1, 0, 0, 5000, 0, 0, 10, 10);
        Track slow = track(2, 5, 1, 1000, 0, 0, 10, 10);
        Track quick = track(3, 9, 6, 900, 0, 0, 10, 10);
        List<Track> visible = List.of(big, slow, quick);
        assertThat(TargetChoice.choose(FollowBy.LARGEST, null, visible, 0.5)).isSameAs(big);
        assertThat(TargetChoice.choose(FollowBy.FASTEST, null, visible, 0.5)).isSameAs(quick);
        assertThat(TargetChoice.choose(FollowBy.FASTEST, null, List.of(big), 0.5)).as("nothing moves").isNull();
        assertThat(TargetChoice.choose(FollowBy.FASTEST, null, List.of(slow, big), 2)).as("1 deg/s is still, at 2").isNull();
        assertThat(TargetChoice.choose(FollowBy.ID, 2L, visible, 0.5)).isSameAs(slow);
        assertThat(TargetChoice.choose(FollowBy.ID, 4L, visible, 0.5)).isNull();
        assertThat(TargetChoice.choose(FollowBy.ID, null, visible, 0.5)).isNull();
    }

    @Test
    void aHandoffIsNotMatchedToATrackSeenAwayFromTheTargetWhenItWasOffered() {
        RecordingRouter router = new RecordingRouter(true);
        HandoffProtocol protocol = new HandoffProtocol("b", config, router, new DelayCalibration(0.2));
        // the target at pan -2 walking right at 4.7 deg/s; a look-alike 8 degrees away when it is offered
        Handoff offer = new Handoff("a", "person", -2, 0, 4.7, 0, 1000, null);
        Track target = track(8, -2, 0, 1000, 0, 0, 10, 10);
        protocol.expect(offer, null, List.of(track(7, 6, 0, 1000, 0, 0, 10, 10), target), 1000, 1000, 0);
        // 300 ms on, the look-alike has walked to 0.6 degrees from where the target should be (-0.6)
        Track lookAlikeThen = track(7, 0, 0, 1000, 0, 0, 10, 10);
        assertThat(protocol.acquire(List.of(lookAlikeThen), 1300, 1300, 0)).isNull();
        // nor when it went missing for a frame and shows again under a new id, taken for it as it showed (seed 228)
        Track lookAlikeAgain = track(9, 0, 0, 1000, 0, 0, 10, 10);
        lookAlikeAgain.lineage = 7;
        assertThat(protocol.acquire(List.of(lookAlikeAgain), 1300, 1300, 0)).isNull();
        assertThat(router.acquiredBy).isEmpty();
        Track targetThen = track(8, -1.2, 4.7, 1000, 0, 0, 10, 10);
        assertThat(protocol.acquire(List.of(lookAlikeThen, targetThen), 1300, 1300, 0)).isSameAs(targetThen);
        assertThat(router.acquiredBy).containsExactly("b");
    }

    @Test
    void aHandoffIsMatchedWhereTheSenderSeesTheTargetNowNotWhereTheOfferPredictedIt() {
        RecordingRouter router = new RecordingRouter(true);
        HandoffProtocol protocol = new HandoffProtocol("b", config, router, new DelayCalibration(0.2));
        // offered at pan -2 walking right at 4.7 deg/s: predicted at 2.7 a second later; the target slowed, and a
        // companion of its colours (none known here) walks on beside it, nearer the prediction
        protocol.expect(new Handoff("a", "person", -2, 0, 4.7, 0, 1000, null), null, List.of(), 1000, 1000, 0);
        Track target = track(8, 0.2, 0.5, 1000, 0, 0, 10, 10);
        Track companion = track(7, 2.9, 4.7, 1000, 0, 0, 10, 10);
        // the sender, still watching it, saw it at 0.15 at 1934 ms
        protocol.update(new Handoff("a", "person", 0.15, 0, 0.5, 0, 1934, null));
        // an update from another camera, or an older one, does not move the expectation
        protocol.update(new Handoff("c", "person", 2.9, 0, 4.7, 0, 1960, null));
        protocol.update(new Handoff("a", "person", 2.9, 0, 4.7, 0, 1900, null));
        protocol.takeUpdates();
        assertThat(protocol.awaiting(2000)).isTrue();
        assertThat(protocol.acquire(List.of(companion, target), 2000, 2000, 0)).isSameAs(target);
        assertThat(router.acquiredBy).containsExactly("b");
    }

    @Test
    void groupFramingAimsAtTheSuperBoxCentreWithItsMarginAndMeanVelocity() {
        // two boxes: x 100..140 and 300..340, y 120..200 and 140..240: super-box 100..340 × 120..240
        Track a = track(1, 0, 2, 100, 100, 120, 140, 200);
        Track b = track(2, 0, 4, 100, 300, 140, 340, 240);
        PtzStatus at = new PtzStatus(10, 5, 1, false);
        Aim aim = GroupFraming.frame(List.of(a, b), optics, at, 0.2, 1);
        assertThat(aim.panDeg()).isCloseTo(10 + optics.degrees(220 - 320, 1), within(1e-9));
        assertThat(aim.tiltDeg()).isCloseTo(5 - optics.degrees(180 - 180, 1), within(1e-9));
        // width 240 × 360/640 = 135 > height 120: the width counts, with the margin
        assertThat(aim.heightFraction()).isCloseTo(135 * 1.2 / 360, within(1e-9));
        assertThat(aim.panRate()).isCloseTo((a.pan.velocity() + b.pan.velocity()) / 2, within(1e-9));
        // a ceiling mount inverts the picture's directions
        Aim ceiling = GroupFraming.frame(List.of(a, b), optics, at, 0.2, -1);
        assertThat(ceiling.panDeg()).isCloseTo(10 - optics.degrees(220 - 320, 1), within(1e-9));
        // a tall group: the height counts
        Track tall = track(3, 0, 0, 100, 300, 20, 320, 320);
        assertThat(GroupFraming.frame(List.of(tall), optics, at, 0.5, 1).heightFraction())
                .isCloseTo(300 * 1.5 / 360, within(1e-9));
        assertThat(GroupFraming.frame(List.of(), optics, at, 0.2, 1)).isNull();
    }

    @Test
    void zoomHoldsTheHeightInTheBandAndWidensNearTheEdge() {
        SteeringLoop loop = new SteeringLoop(config.control(), new DelayCalibration(0.15));
        assertThat(loop.zoomSpeed(0.3, 0, 0)).as("in the band 0.25..0.45").isZero();
        // log(sqrt(0.25*0.45)/h)/log(2), clamped to ±1
        double middle = Math.sqrt(0.25 * 0.45);
        assertThat(loop.zoomSpeed(0.2, 0, 0)).isCloseTo(Math.log(middle / 0.2) / Math.log(2), within(1e-9)).isPositive();
        assertThat(loop.zoomSpeed(0.5, 0, 0)).isCloseTo(Math.log(middle / 0.5) / Math.log(2), within(1e-9)).isNegative();
        assertThat(loop.zoomSpeed(0.01, 0, 0)).isEqualTo(1);
        assertThat(loop.zoomSpeed(0.3, 0.61, 0)).as("near the edge").isEqualTo(-0.5);
        assertThat(loop.zoomSpeed(0.01, 0, -0.7)).isEqualTo(-0.5);
    }

    @Test
    void commandsAreSentOnChangesOfTwoPercentAndRenewedWhileMoving() {
        long[] now = {1000};
        List<PtzCommand> published = new ArrayList<>();
        SimulatedPtz motors = Simulators.motors(config, () -> now[0] * 1_000_000);
        CommandOutput out = new CommandOutput("c", "c", motors, published::add, () -> now[0], config.control().commandInterval(),
                () -> new CommandOutput.Context("follow", "auto", "person"));
        assertThat(out.changed(new double[]{0, 0, 0})).as("still, and nothing sent").isFalse();
        assertThat(out.changed(new double[]{0.1, 0, 0})).isTrue();
        out.move("move_relative", null, 0.1, 0, 0, 7L);
        assertThat(published).singleElement().satisfies(p -> {
            assertThat(p.command()).isEqualTo("move_relative");
            assertThat(p.panSpeed()).isEqualTo(0.1);
            assertThat(p.targetId()).isEqualTo(7L);
            assertThat(p.policy()).isEqualTo("follow");
            assertThat(p.targetLabel()).isEqualTo("person");
        });
        now[0] += 100;
        assertThat(out.changed(new double[]{0.115, 0, 0})).as("1.5 %: not worth it").isFalse();
        assertThat(out.changed(new double[]{0.125, 0, 0})).as("2.5 %").isTrue();
        assertThat(out.changed(new double[]{0.1, 0, 0.001})).as("zoom from zero").isTrue();
        now[0] += 150;
        assertThat(out.changed(new double[]{0.1, 0, 0})).as("unchanged, renewed after 250 ms").isTrue();
        out.move("stop", null, 0, 0, 0, null);
        assertThat(out.still()).isTrue();
        now[0] += 1000;
        assertThat(out.changed(new double[]{0, 0, 0})).as("a stop is not renewed").isFalse();
        assertThat(published).extracting(PtzCommand::command).containsExactly("move_relative", "stop");
        assertThat(published.get(1).panSpeed()).as("speeds only go out with move_relative").isNull();
    }
}
