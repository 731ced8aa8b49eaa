package io.visionfleet.ptz.sim;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The goals on generated worlds the tuning never saw, judged by the truth: on every test seed, with a tracker
 * that keeps ids, the target is followed at least 95 % of the time, never unwatched for more than 2 s (stops and
 * acquisition included), and every handoff has the receiving camera on the target within 1.5 s. With a tracker that
 * loses ids through occlusion, as the motion engine does, a camera re-finds the target under its new id: every re-lock
 * within 2 s. The tuning seeds' figures are printed on demand ({@code -Dptz.worlds.tuning=true}); they are what
 * thresholds may be tuned on.
 */
@Tag("integration") // in-process and on simulated time, but some 40 s of CPU on two cores: too slow for the quick tier
class GroundTruthWorldsTest {
    @Test
    void onTestSeedsTheTargetIsFollowedWithinTheGoals() {
        List<WorldRuns.Run> runs = WorldRuns.report("test", WorldRuns.TEST_SEEDS, false);
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
    void onTestSeedsATargetShownUnderANewIdIsReFound() {
        List<WorldRuns.Run> runs = WorldRuns.report("test", WorldRuns.TEST_SEEDS, true);
        assertThat(runs.stream().mapToLong(r -> r.figures().relockDelaysS().size()).sum()).as("re-locks").isPositive();
        for (WorldRuns.Run r : runs) {
            assertThat(r.figures().relockDelaysS()).as("seed " + r.world().seed() + ": re-lock delays").allSatisfy(
                    d -> assertThat(d).isLessThanOrEqualTo(TargetFigures.GAP_GOAL_S));
        }
    }

    /**
     * Tuning worlds (round 6) where a handoff ended on someone else: 411, a look-alike walking beside the target nearer
     * the offer's prediction than the target; 518 with ids lost, the same; 519 with ids lost, a person of other colours
     * taken on the frame the offer came, before any candidate's colours were taken. Each meets the goals now.
     */
    @Test
    void onWorldsWhereAHandoffEndedOnSomeoneElseItEndsOnTheTarget() {
        List<WorldRuns.Run> runs = new ArrayList<>(WorldRuns.report("round 6's handoff", new long[]{411, 518, 519}, false));
        runs.addAll(WorldRuns.report("round 6's handoff", new long[]{518, 519}, true));
        for (WorldRuns.Run r : runs) {
            TargetFigures f = r.figures();
            String seed = "seed " + r.world().seed() + (r.losesIds() ? ", ids lost" : "");
            assertThat(f.onTarget()).as(seed + ": on target").isGreaterThanOrEqualTo(TargetFigures.ON_TARGET_GOAL);
            assertThat(f.longestGapS()).as(seed + ": longest gap").isLessThanOrEqualTo(TargetFigures.GAP_GOAL_S);
            assertThat(f.handoffDelaysS()).as(seed + ": handoff delays").isNotEmpty().allSatisfy(
                    d -> assertThat(d).isLessThanOrEqualTo(TargetFigures.HANDOFF_GOAL_S));
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "ptz.worlds.tuning", matches = "true")
    void tuningSeeds() {
        WorldRuns.report("tuning", WorldRuns.TUNING_SEEDS, false);
        WorldRuns.report("tuning", WorldRuns.TUNING_SEEDS, true);
    }

    /** Chosen tuning seeds ({@code -Dptz.worlds.seeds=14,20}), to trace with {@code -Dptz.worlds.trace=true}. */
    @Test
    @EnabledIfSystemProperty(named = "ptz.worlds.seeds", matches = ".+")
    void chosenSeeds() {
        long[] seeds = Arrays.stream(System.getProperty("ptz.worlds.seeds").split(",")).mapToLong(Long::parseLong).toArray();
        assertThat(WorldRuns.TUNING_SEEDS).as("tuning seeds only").contains(seeds);
        WorldRuns.report("chosen", seeds, false);
        WorldRuns.report("chosen", seeds, true);
    }

    /** Once per round, after its last controller change; nothing may be tuned on what it prints. */
    @Test
    @EnabledIfSystemProperty(named = "ptz.worlds.held-out", matches = "true")
    void heldOutSeeds() {
        assertThat(WorldRuns.HELD_OUT_SEEDS).as("fresh seeds").doesNotContain(WorldRuns.TUNING_SEEDS)
                .doesNotContain(WorldRuns.TEST_SEEDS).doesNotContain(WorldRuns.SPENT_HELD_OUT_SEEDS);
        WorldRuns.report("held-out", WorldRuns.HELD_OUT_SEEDS, false);
        WorldRuns.report("held-out", WorldRuns.HELD_OUT_SEEDS, true);
    }
}
