package io.visionfleet.ptz.sim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The goals on generated worlds the tuning never saw, judged by the truth: on every test seed the target is
 * followed at least 95 % of the time, never unwatched for more than 2 s (stops and acquisition included), and every
 * handoff has the receiving camera on the target within 1.5 s. The tuning seeds' figures are printed on demand
 * ({@code -Dfleet.ptz.tuning=true}); they are what thresholds may be tuned on.
 */
class GroundTruthWorldsTest {
    @Test
    void onTestSeedsTheTargetIsFollowedWithinTheGoals() {
        List<WorldRuns.Run> runs = WorldRuns.report("test", WorldRuns.TEST_SEEDS);
        assertThat(runs).hasSizeGreaterThanOrEqualTo(10);
        // the table above shows every seed; the first one off a goal fails the test
        for (WorldRuns.Run r : runs) {
            TargetFigures f = r.figures();
            String seed = "seed " + r.world().seed();
            assertThat(f.onTarget()).as(seed + ": on target").isGreaterThanOrEqualTo(TargetFigures.ON_TARGET_GOAL);
            assertThat(f.longestGapS()).as(seed + ": longest gap").isLessThanOrEqualTo(TargetFigures.GAP_GOAL_S);
            assertThat(f.handoffDelaysS()).as(seed + ": handoff delays").allSatisfy(
                    d -> assertThat(d).isLessThanOrEqualTo(TargetFigures.HANDOFF_GOAL_S));
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "fleet.ptz.tuning", matches = "true")
    void tuningSeeds() {
        WorldRuns.report("tuning", WorldRuns.TUNING_SEEDS);
    }
}
