package io.visionfleet.ptz.control;

import io.visionfleet.common.messages.ProcessedFrame;
import io.visionfleet.common.messages.TrackedObject;
import io.visionfleet.ptz.TestConfigs;
import io.visionfleet.ptz.config.PtzConfig;
import io.visionfleet.ptz.driver.PtzStatus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A target the tracker loses (behind a pillar, or as it stands) on a still camera: held where it was last seen, and
 * re-found when it shows again under a new id on its way, but not from a newcomer far off its way, nor from one that a
 * passer-by gone missing at the same time explains better.
 */
class HiddenTargetTest {
    private static final long FRAME_MS = 66;
    private final PtzConfig.Camera config = TestConfigs.ptz(Map.of("cameras.c.stream", "c")).cameras().get("c");
    private final Optics optics = new Optics(60, 640, 360);
    private final WorldTracks world = new WorldTracks("c", config);
    private final Relock relock = new Relock("c", config);

    /** Frame {@code n} with a 20 x 60 px box per {@code x} (id to centre x, px) on a camera standing at pan 0. */
    private void frame(int n, Map<Long, Integer> x) {
        List<TrackedObject> objects = x.entrySet().stream()
                .map(e -> new TrackedObject(e.getKey(), "person", 1, new int[]{e.getValue() - 10, 150, 20, 60}, 1200, null,
                        null)).toList();
        world.update(new ProcessedFrame(ProcessedFrame.SCHEMA, "c", n, 1_000_000 + n * FRAME_MS, 640, 360, "motion", objects,
                0), new PtzStatus(0, 0, 1, false), optics, Set.of(), 1L, t -> false, AppearanceSource.NONE);
    }

    /** 15 frames of the target (id 1) walking right from x 300 at 3 px a frame, then {@code hiddenFrames} without it. */
    private Track walkThenHide(int hiddenFrames, Map<Long, Integer> others) {
        for (int n = 0; n < 15; n++) {
            frame(n, Map.of(1L, 300 + 3 * n));
        }
        for (int n = 15; n < 15 + hiddenFrames; n++) {
            frame(n, others);
        }
        return world.hidden(1L);
    }

    @Test
    void aHiddenTargetIsHeldWhereItWasLastSeenWithoutItsVelocity() {
        Track hidden = walkThenHide(5, Map.of());
        assertThat(hidden).isNotNull();
        assertThat(hidden.pan.velocity()).as("it walked").isGreaterThan(2);
        Aim aim = Aim.of(hidden, world.lastFrameTs(), optics);
        assertThat(aim.panDeg()).isEqualTo(hidden.pan.position());
        assertThat(aim.panRate()).isZero();
        assertThat(aim.tiltRate()).isZero();
    }

    @Test
    void aTargetShownAgainOnItsWayUnderANewIdIsReFoundAndKeepsItsFirstSighting() {
        Track hidden = walkThenHide(5, Map.of());
        // 6 frames on at 3 px a frame: x 342 + 18; a newcomer far off its way shows at the same time
        frame(20, Map.of(7L, 360, 8L, 100));
        Track again = relock.refind(hidden, world.followable(), world);
        assertThat(again).isNotNull();
        assertThat(again.id).isEqualTo(7);
        assertThat(again.firstSeenTs).isEqualTo(hidden.firstSeenTs);
        assertThat(world.get(1L)).as("the old id is forgotten").isNull();
    }

    @Test
    void aNewcomerFarOffTheWayOrBetterExplainedByAMissingPasserByIsNotTheTarget() {
        // a passer-by (id 2) walks left towards the target's way and goes missing with it
        for (int n = 0; n < 15; n++) {
            frame(n, Map.of(1L, 300 + 3 * n, 2L, 420 - 3 * n));
        }
        for (int n = 15; n < 18; n++) {
            frame(n, Map.of());
        }
        Track hidden = world.hidden(1L);
        // where the passer-by would be now (375 - 9), inside reach of the target's way too; and one far off
        frame(18, Map.of(7L, 366, 8L, 100));
        assertThat(relock.refind(hidden, world.followable(), world)).isNull();
        assertThat(world.hidden(1L)).as("still held").isSameAs(hidden);
    }
}
