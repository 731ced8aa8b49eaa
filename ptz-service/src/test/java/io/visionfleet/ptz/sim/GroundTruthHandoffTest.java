package io.visionfleet.ptz.sim;

import io.visionfleet.ptz.TestConfigs;
import io.visionfleet.ptz.config.PtzConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two simulated cameras side by side, A covering pan -60..0 and B 0..60, both on the {@code handoff} policy. The runner
 * crosses from A's side to B's while a walker of the same label keeps B busy: B must drop the walker for the handed-off
 * runner, matched by where it should be, and the runner must never be unwatched for more than 2 s.
 */
@Tag("quick")
class GroundTruthHandoffTest {
    static final int FPS = 15;

    @Test
    void theRunnerIsHandedFromAToBWithItsLabelAndNoGapOverTwoSeconds() {
        PtzConfig config = TestConfigs.ptz(Map.ofEntries(
                Map.entry("cameras.a.stream", "a"), Map.entry("cameras.a.pan-min", "-60"), Map.entry("cameras.a.pan-max", "0"),
                Map.entry("cameras.a.home-pan", "-40"), Map.entry("cameras.a.neighbours.b", "right"),
                Map.entry("cameras.a.control.policy", "handoff"), Map.entry("cameras.a.simulator.world", "pair"),
                Map.entry("cameras.a.simulator.fps", "" + FPS),
                Map.entry("cameras.b.stream", "b"), Map.entry("cameras.b.pan-min", "0"), Map.entry("cameras.b.pan-max", "60"),
                Map.entry("cameras.b.home-pan", "35"), Map.entry("cameras.b.neighbours.a", "left"),
                Map.entry("cameras.b.control.policy", "handoff")));
        GroundTruthLoop loop = new GroundTruthLoop(config, "a", 3);
        int frames = 17 * FPS; // the runner goes from pan -50 to about +44
        loop.run(0, frames);

        List<GroundTruthLoop.Sample> a = loop.samples("a");
        List<GroundTruthLoop.Sample> b = loop.samples("b");
        String labelInA = a.stream().filter(s -> s.targetId() != null).findFirst().orElseThrow().targetLabel();
        // before the handoff B follows the walker: the runner is not in its picture
        assertThat(b.get(3 * FPS).targetId()).isNotNull();
        assertThat(b.get(3 * FPS).runnerBox()).isNull();

        double longestGap = 0;
        double gapStart = Double.NaN;
        String lastBLabel = null;
        for (int i = FPS; i < frames; i++) {
            boolean watched = centredOnRunner(a.get(i)) || centredOnRunner(b.get(i));
            double t = a.get(i).timeS();
            if (!watched && Double.isNaN(gapStart)) {
                gapStart = t;
            } else if (watched && !Double.isNaN(gapStart)) {
                longestGap = Math.max(longestGap, t - gapStart);
                gapStart = Double.NaN;
            }
            if (centredOnRunner(b.get(i))) {
                lastBLabel = b.get(i).targetLabel();
            }
        }
        System.out.printf("longest gap %.2f s%n", longestGap);
        assertThat(gapStart).as("the runner is watched at the end").isNaN();
        assertThat(longestGap).isLessThanOrEqualTo(2.0);
        GroundTruthLoop.Sample end = b.get(frames - 1);
        assertThat(centredOnRunner(end)).as("B ends on the runner, not the walker").isTrue();
        assertThat(lastBLabel).isEqualTo(labelInA);
        assertThat(a.get(frames - 1).status().panDeg()).as("A went home").isCloseTo(-40, org.assertj.core.data.Offset.offset(1.0));
    }

    /** The camera has a target and the runner is within half the half-frame of its centre. */
    private static boolean centredOnRunner(GroundTruthLoop.Sample s) {
        int[] r = s.runnerBox();
        if (s.targetId() == null || r == null) {
            return false;
        }
        double ox = Math.abs(r[0] + r[2] / 2.0 - 320) / 320;
        double oy = Math.abs(r[1] + r[3] / 2.0 - 180) / 180;
        return Math.max(ox, oy) < 0.5;
    }
}
