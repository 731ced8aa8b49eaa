package io.visionfleet.ptz.sim;

import io.visionfleet.ptz.TestConfigs;
import io.visionfleet.ptz.config.PtzConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Re-locking on an object that walks off from a standing target, on the {@code decoy} world seen by one camera: the
 * runner walks to pan 0 and stands there 3 s while a companion of its size and label, hidden behind it until then, walks
 * on. To the controller that is what a motion tracker reports when a target that stood walks off: the old track stays
 * where it stood and a new one walks away. Without colours the camera must take the walker; with them it must not
 * take a walker of another colour, and stays on the runner.
 */
@Tag("quick")
class GroundTruthRelockTest {
    static final int FPS = 15;
    static final long RUNNER_TRACK = 100 + SimWorld.RUNNER;
    static final long DECOY_TRACK = 100 + SimWorld.DECOY;
    /** The runner reaches pan 0 at 9 s, stands until 12 s and walks on. */
    static final int STOP = 9 * FPS;
    static final int GO = 12 * FPS;

    @Test
    void withoutColoursTheCameraTakesTheTrackThatWalksOffFromTheStandingTarget() {
        List<GroundTruthLoop.Sample> seen = run(false);
        assertThat(seen.get(STOP - FPS).targetId()).as("on the runner before it stops").isEqualTo(RUNNER_TRACK);
        int relocked = firstOn(seen, DECOY_TRACK, STOP);
        int parted = firstVisible(seen, SimWorld.DECOY, STOP);
        System.out.printf("the walker shows at frame %d and is followed from frame %d%n", parted, relocked);
        assertThat(relocked - parted).as("frames from its appearing to being followed").isLessThanOrEqualTo(FPS);
        // then it is kept and framed: centred within a quarter of the half-frame a second later, until the runner walks
        for (GroundTruthLoop.Sample s : seen.subList(relocked + FPS, GO)) {
            assertThat(s.targetId()).isEqualTo(DECOY_TRACK);
            assertThat(offset(s.boxes().get(SimWorld.DECOY))).as("walker's offset at frame %d", s.frame()).isLessThan(0.25);
        }
    }

    @Test
    void withColoursAWalkerOfAnotherColourDoesNotTakeTheCamera() {
        List<GroundTruthLoop.Sample> seen = run(true);
        assertThat(firstVisible(seen, SimWorld.DECOY, STOP)).as("the walker shows").isLessThan(GO);
        assertThat(seen.subList(STOP - FPS, GO + 2 * FPS)).allSatisfy(s -> assertThat(s.targetId()).isEqualTo(RUNNER_TRACK));
        assertThat(offset(seen.get(GO + 2 * FPS).runnerBox())).as("framing the runner once it walks again").isLessThan(0.25);
    }

    private static List<GroundTruthLoop.Sample> run(boolean colours) {
        PtzConfig config = TestConfigs.ptz(Map.of("cameras.a.stream", "a", "cameras.a.pan-min", "-60",
                "cameras.a.pan-max", "60", "cameras.a.home-pan", "-45", "cameras.a.control.policy", "handoff",
                "cameras.a.simulator.world", "decoy", "cameras.a.simulator.fps", "" + FPS,
                "cameras.a.appearance.enabled", "" + colours));
        GroundTruthLoop loop = new GroundTruthLoop(config, "a", 3);
        loop.run(0, GO + 2 * FPS + 1);
        return loop.samples("a");
    }

    private static int firstOn(List<GroundTruthLoop.Sample> seen, long track, int from) {
        for (int i = from; i < seen.size(); i++) {
            if (Long.valueOf(track).equals(seen.get(i).targetId())) {
                return i;
            }
        }
        throw new AssertionError("track " + track + " was never followed after frame " + from);
    }

    private static int firstVisible(List<GroundTruthLoop.Sample> seen, int actor, int from) {
        for (int i = from; i < seen.size(); i++) {
            if (seen.get(i).boxes().containsKey(actor)) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    /** Distance of a box's centre from the picture's centre, in half-frames (the larger axis). */
    private static double offset(int[] box) {
        return Math.max(Math.abs(box[0] + box[2] / 2.0 - 320) / 320, Math.abs(box[1] + box[3] / 2.0 - 180) / 180);
    }
}
