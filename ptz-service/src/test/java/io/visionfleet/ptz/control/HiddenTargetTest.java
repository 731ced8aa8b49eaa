package io.visionfleet.ptz.control;

import io.visionfleet.common.messages.ProcessedFrame;
import io.visionfleet.common.messages.TrackedObject;
import io.visionfleet.ptz.TestConfigs;
import io.visionfleet.ptz.config.PtzConfig;
import io.visionfleet.ptz.driver.PtzStatus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A target the tracker loses (behind a pillar, or as it stands) on a still camera: held where it was last seen, and
 * re-found when it shows again under a new id on its way, but not from a newcomer far off its way, nor from one that a
 * passer-by gone missing at the same time explains better; remembered longer when it vanished inside the picture than
 * when it walked out of it. And a passer-by shown again beside a standing target is never taken for it walking off.
 * Round 5: who a newcomer is shown again as is judged by colours before position, and a newcomer taken, as it showed,
 * for the target is re-found as the target whatever else went missing.
 */
@Tag("quick")
class HiddenTargetTest {
    private static final long FRAME_MS = 66;
    private final PtzConfig.Camera config = TestConfigs.ptz(Map.of("cameras.c.stream", "c")).cameras().get("c");
    private final Optics optics = new Optics(60, 640, 360);
    private final WorldTracks world = new WorldTracks("c", config);
    private final Relock relock = new Relock("c", config);
    /** The objects' colours: none unless a test gives them. */
    private AppearanceSource colours = AppearanceSource.NONE;

    /** Frame {@code n} with a 20 x 60 px box per {@code x} (id to centre x, px) on a camera standing at pan 0. */
    private void frame(int n, Map<Long, Integer> x) {
        List<TrackedObject> objects = x.entrySet().stream()
                .map(e -> new TrackedObject(e.getKey(), "person", 1, new int[]{e.getValue() - 10, 150, 20, 60}, 1200, null,
                        null)).toList();
        world.update(new ProcessedFrame(ProcessedFrame.SCHEMA, "c", n, 1_000_000 + n * FRAME_MS, 640, 360, "motion", objects,
                0), new PtzStatus(0, 0, 1, false), optics, Set.of(), 1L, t -> true, colours);
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
    void aTargetThatVanishedInsideThePictureIsRememberedLongerThanOneThatWalkedOutOfIt() {
        // 7 s unseen (106 frames): still held when it vanished mid-picture, forgotten when it left by the border
        assertThat(walkThenHide(106, Map.of())).as("vanished at x 342").isNotNull();
        for (int n = 121; n < 136; n++) {
            frame(n, Map.of(1L, 600 + 3 * (n - 121)));
        }
        for (int n = 136; n < 136 + 106; n++) {
            frame(n, Map.of());
        }
        assertThat(world.hidden(1L)).as("vanished at the border, x 642").isNull();
    }

    @Test
    void aPasserByShownAgainBesideAStandingTargetNeverTakesItOverOnceItsOldTrackIsForgotten() {
        // the target (id 1) stands at x 300; a passer-by (id 2) walks left at 3 px a frame up to x 348 and goes behind it
        for (int n = 0; n < 25; n++) {
            frame(n, Map.of(1L, 300, 2L, 420 - 3 * n));
        }
        for (int n = 25; n < 28; n++) {
            frame(n, Map.of(1L, 300));
        }
        // it comes out on the other side under a new id and walks away from the target, faster than it (which stands);
        // its old track is forgotten 2 s after it vanished (frame 55) while the newcomer is still new (until frame 58)
        for (int n = 28; n < 60; n++) {
            frame(n, Map.of(1L, 300, 7L, 280 - 6 * (n - 28)));
            assertThat(relock.relock(world.get(1L), world.followable(), world).id).as("frame " + n).isEqualTo(1);
        }
        assertThat(world.get(2L)).as("the passer-by's old track is forgotten").isNull();
        assertThat(world.get(7L).lineage).as("taken for the passer-by as it showed").isEqualTo(2);
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

    /** The target (id 1) walks right from x 300, a passer-by (id 2) left from x 420, 3 px a frame; both go missing. */
    private Track crossThenHide() {
        for (int n = 0; n < 15; n++) {
            frame(n, Map.of(1L, 300 + 3 * n, 2L, 420 - 3 * n));
        }
        for (int n = 15; n < 18; n++) {
            frame(n, Map.of());
        }
        return world.hidden(1L);
    }

    @Test
    void aTargetComingOutWhereAPasserByVanishedIsTakenForItselfByItsColours() {
        // the target red, the passer-by blue; a red newcomer shows where the passer-by's way led (375 - 9), inside
        // reach of the target's way (342 + 12) but further from it: by position alone it is the passer-by shown again
        float[] red = new float[128];
        float[] blue = new float[128];
        red[0] = 1;
        blue[127] = 1;
        colours = (ts, o, w, h) -> o.id() == 2 ? blue : red;
        Track hidden = crossThenHide();
        frame(18, Map.of(7L, 366));
        assertThat(world.get(7L).lineage).as("taken for the target as it showed").isEqualTo(1);
        assertThat(relock.refind(hidden, world.followable(), world)).as("re-found at once").isSameAs(world.get(7L));
    }

    @Test
    void aNewcomerTakenForTheTargetAsItShowedIsReFoundThoughAMissingPasserByIsNearer() {
        // without colours: the passer-by shows again first (id 9, on its way at 375 - 9); a frame later a newcomer
        // shows nearer the passer-by's way (378 - 15 + 1) than the target's (342 + 15 + 5), and the passer-by explains
        // one newcomer only, so it is taken for the target shown again; the passer-by's old track, still missing, is
        // nearer
        Track hidden = crossThenHide();
        frame(18, Map.of(9L, 366));
        frame(19, Map.of(9L, 363, 7L, 362));
        assertThat(world.get(9L).lineage).isEqualTo(2);
        assertThat(world.get(7L).lineage).isEqualTo(1);
        assertThat(relock.refind(hidden, world.followable(), world)).isSameAs(world.get(7L));
    }
}
