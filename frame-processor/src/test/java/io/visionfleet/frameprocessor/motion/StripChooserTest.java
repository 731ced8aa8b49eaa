package io.visionfleet.frameprocessor.motion;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.function.IntToLongFunction;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("quick")
class StripChooserTest {
    private static final int STRIPS = StripChooser.STRIP_TARGET;

    /** Runs the trial at {@code rows} x {@code cols}, each timed update taking {@code cost} of its way's target. */
    private static void trial(StripChooser chooser, int rows, int cols, IntToLongFunction cost) {
        for (int update = 0; update < 4 * StripChooser.TRIALS; update++) {
            StripChooser.Pick pick = chooser.pick(rows, cols);
            if (!pick.timed()) {
                return;
            }
            chooser.took(rows, cols, pick, cost.applyAsLong(pick.target()));
        }
    }

    @Test
    void timesBothWaysInTurnThenKeepsTheCheaper() {
        StripChooser chooser = StripChooser.timed();
        StripChooser.Pick first = chooser.pick(360, 640);
        chooser.took(360, 640, first, 1_000_000);
        StripChooser.Pick second = chooser.pick(360, 640);
        assertThat(first.timed()).isTrue();
        assertThat(second.timed()).isTrue();
        assertThat(second.target()).as("the other way next").isNotEqualTo(first.target());
        chooser.took(360, 640, second, 2_000_000);

        trial(chooser, 360, 640, target -> target == 0 ? 1_200_000 : 1_500_000);

        assertThat(chooser.pick(360, 640)).isEqualTo(new StripChooser.Pick(0, false));
    }

    @Test
    void aFewSlowUpdatesDoNotDecideIt() {
        StripChooser chooser = StripChooser.timed();
        int[] strips = {0};
        // one strip update in four preempted by a page fault storm: the median still sees strips cheaper
        trial(chooser, 360, 640, target -> target == 0 ? 1_500_000 : strips[0]++ % 4 == 0 ? 9_000_000 : 1_100_000);

        assertThat(chooser.pick(360, 640)).isEqualTo(new StripChooser.Pick(STRIPS, false));
    }

    @Test
    void eachPictureSizeIsDecidedOnItsOwn() {
        StripChooser chooser = StripChooser.timed();
        trial(chooser, 360, 640, target -> target == 0 ? 2_000_000 : 1_000_000);
        assertThat(chooser.pick(720, 1280).timed()).as("a new size is timed afresh").isTrue();
        trial(chooser, 720, 1280, target -> target == 0 ? 4_000_000 : 6_000_000);

        assertThat(chooser.pick(360, 640)).isEqualTo(new StripChooser.Pick(STRIPS, false));
        assertThat(chooser.pick(720, 1280)).isEqualTo(new StripChooser.Pick(0, false));
    }

    @Test
    void updatesTimedAfterTheChoiceChangeNothing() {
        StripChooser chooser = StripChooser.timed();
        StripChooser.Pick late = chooser.pick(360, 640);
        trial(chooser, 360, 640, target -> target == 0 ? 2_000_000 : 1_000_000);
        chooser.took(360, 640, late, 1); // an update that started before the choice, on another thread

        assertThat(chooser.pick(360, 640)).isEqualTo(new StripChooser.Pick(STRIPS, false));
    }

    @Test
    void triesAgainAfterAWhileAndFollowsWhatChanged() {
        long[] now = {0};
        StripChooser chooser = StripChooser.timed(() -> now[0]);
        trial(chooser, 360, 640, target -> target == 0 ? 2_000_000 : 1_000_000);
        now[0] += StripChooser.RETRIAL.toNanos() - 1;
        assertThat(chooser.pick(360, 640)).as("kept until the retrial").isEqualTo(new StripChooser.Pick(STRIPS, false));

        now[0] += 1;
        assertThat(chooser.pick(360, 640).timed()).isTrue();
        // the other services now keep the cores' caches busy another way: whole pictures win
        trial(chooser, 360, 640, target -> target == 0 ? 1_000_000 : 1_300_000);

        assertThat(chooser.pick(360, 640)).isEqualTo(new StripChooser.Pick(0, false));
        now[0] += StripChooser.RETRIAL.toNanos() / 2;
        assertThat(chooser.pick(360, 640).timed()).as("the next retrial is a full interval away").isFalse();
    }

    @Test
    void aFixedWayIsNeverTimed() {
        StripChooser chooser = StripChooser.fixed(0);

        assertThat(chooser.pick(360, 640)).isEqualTo(new StripChooser.Pick(0, false));
    }
}
