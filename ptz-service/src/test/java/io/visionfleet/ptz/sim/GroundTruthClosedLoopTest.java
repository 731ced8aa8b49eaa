package io.visionfleet.ptz.sim;

import io.visionfleet.common.messages.PtzCommand;
import io.visionfleet.ptz.TestConfigs;
import io.visionfleet.ptz.config.PtzConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Closed loop on the simulator with the controller fed by ground truth: the runner crosses 100 degrees of the world,
 * pauses and comes back, seen through a camera whose motors lag 80 ms, with results arriving 3 frames (200 ms) late.
 */
@Tag("quick")
class GroundTruthClosedLoopTest {
    static final int FPS = 15;

    @Test
    void followingTheRunnerKeepsItCentredWithFewReversalsAndItsHeightInTheBand() {
        PtzConfig config = TestConfigs.ptz(Map.of("cameras.a.stream", "a", "cameras.a.simulator.fps", "" + FPS,
                "cameras.a.home-pan", "-45"));
        GroundTruthLoop loop = new GroundTruthLoop(config, "a", 3);
        int frames = 40 * FPS;
        loop.run(0, frames);

        List<GroundTruthLoop.Sample> samples = loop.samples("a");
        Metrics m = Metrics.of(samples, 360, 640, 2.0);
        System.out.printf("p95 offset %.3f, in band %.2f, acquired at %.1f s, reversals %d, visible %.2f%n",
                m.p95Offset, m.inBand, m.acquiredS, reversals(loop.commands, "a"), m.visible);
        assertThat(m.acquiredS).isLessThan(3);
        assertThat(m.visible).isGreaterThan(0.98);
        assertThat(m.p95Offset).isLessThan(0.15);
        assertThat(m.inBand).isGreaterThan(0.9);
        // the runner turns round once; the loop may correct a few times around that and the pause
        assertThat(reversals(loop.commands, "a")).isLessThanOrEqualTo(6);
    }

    /** Sign changes of the commanded pan speed (zero speeds are skipped). */
    static int reversals(List<PtzCommand> commands, String camera) {
        int count = 0;
        double last = 0;
        for (PtzCommand c : commands) {
            if (!c.cameraId().equals(camera) || c.panSpeed() == null || Math.abs(c.panSpeed()) < 0.02) {
                continue;
            }
            if (last != 0 && Math.signum(c.panSpeed()) != Math.signum(last)) {
                count++;
            }
            last = c.panSpeed();
        }
        return count;
    }

    /** Figures over the samples after acquisition (the first target plus {@code settleS}). */
    record Metrics(double p95Offset, double inBand, double acquiredS, double visible) {
        static Metrics of(List<GroundTruthLoop.Sample> samples, int height, int width, double settleS) {
            double start = samples.get(0).timeS();
            double acquired = samples.stream().filter(s -> s.targetId() != null).mapToDouble(GroundTruthLoop.Sample::timeS)
                    .findFirst().orElse(Double.NaN);
            List<GroundTruthLoop.Sample> after = samples.stream().filter(s -> s.timeS() >= acquired + settleS).toList();
            double[] offsets = after.stream().filter(s -> s.runnerBox() != null).mapToDouble(s -> {
                int[] b = s.runnerBox();
                double ox = (b[0] + b[2] / 2.0 - width / 2.0) / (width / 2.0);
                double oy = (b[1] + b[3] / 2.0 - height / 2.0) / (height / 2.0);
                return Math.max(Math.abs(ox), Math.abs(oy));
            }).sorted().toArray();
            long band = after.stream().filter(s -> s.runnerBox() != null)
                    .filter(s -> s.runnerBox()[3] >= 0.2 * height && s.runnerBox()[3] <= 0.5 * height).count();
            double visible = after.stream().filter(s -> s.runnerBox() != null).count() / (double) after.size();
            return new Metrics(offsets.length == 0 ? 1 : offsets[(int) Math.floor(0.95 * (offsets.length - 1))],
                    band / (double) Math.max(1, offsets.length), acquired - start, visible);
        }
    }
}
