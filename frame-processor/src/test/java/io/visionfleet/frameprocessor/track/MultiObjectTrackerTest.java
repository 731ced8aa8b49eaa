package io.visionfleet.frameprocessor.track;

import io.visionfleet.frameprocessor.support.PointerScopePerTest;
import io.visionfleet.frameprocessor.support.TestConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static io.visionfleet.frameprocessor.support.SolidRegions.BLUE;
import static io.visionfleet.frameprocessor.support.SolidRegions.RED;
import static io.visionfleet.frameprocessor.support.SolidRegions.region;
import static org.assertj.core.api.Assertions.assertThat;

/** The life cycle and association of the tracker, driven with hand-made regions. */
@Tag("quick")
@ExtendWith(PointerScopePerTest.class)
class MultiObjectTrackerTest {
    private final MultiObjectTracker tracker = new MultiObjectTracker(TestConfig.defaults().tracker(), 640, 360);
    @Test
    void aTrackIsConfirmedAfterEnoughFramesLostWhenUnseenAndRemovedAfterTheLimit() {
        int confirm = TestConfig.defaults().tracker().confirmFrames();
        for (int i = 0; i < confirm; i++) {
            List<Long> removed = frame(region(100 + 4 * i, 100, 40, 30, RED));
            assertThat(removed).isEmpty();
            assertThat(only().state()).isEqualTo(i + 1 < confirm ? TrackState.TENTATIVE : TrackState.CONFIRMED);
        }
        long id = only().id();
        assertThat(id).isEqualTo(1);
        assertThat(frame()).isEmpty();
        assertThat(only().state()).isEqualTo(TrackState.LOST);
        List<Long> removed = List.of();
        for (int i = 0; i < TestConfig.defaults().tracker().maxLostFrames() && removed.isEmpty(); i++) {
            removed = frame();
        }
        assertThat(removed).containsExactly(id);
        assertThat(tracker.tracks()).isEmpty();
    }

    @Test
    void anUnconfirmedTrackThatIsMissedOnceIsDroppedSilently() {
        frame(region(100, 100, 40, 30, RED));
        assertThat(frame()).isEmpty();
        assertThat(tracker.tracks()).isEmpty();
    }

    @Test
    void aLostTrackTakesBackItsObjectWhereItReappearsAfterAnOcclusion() {
        for (int i = 0; i < 10; i++) {
            frame(region(100 + 5 * i, 100, 40, 30, RED));
        }
        long id = only().id();
        for (int i = 10; i < 20; i++) {
            frame(); // hidden behind something for 10 frames
        }
        assertThat(only().state()).isEqualTo(TrackState.LOST);
        frame(region(100 + 5 * 20, 100, 40, 30, RED));
        assertThat(only().id()).isEqualTo(id);
        assertThat(only().state()).isEqualTo(TrackState.CONFIRMED);
    }

    @Test
    void objectsKeepTheirIdsAcrossFramesSkippedForCapacity() {
        // 8 px a frame, 40 px wide: one step of prediction over a gap of 8 frames would sit 56 px behind
        for (int i = 0; i < 5; i++) {
            frame(region(60 + 8 * i, 100, 40, 40, RED), region(560 - 8 * i, 130, 40, 40, BLUE));
        }
        for (int i = 13; i < 60; i += 8) {
            frameAfter(8, region(60 + 8 * i, 100, 40, 40, RED), region(560 - 8 * i, 130, 40, 40, BLUE));
            assertThat(tracker.tracks()).as("frame %d", i).extracting(Track::id).containsExactly(1L, 2L);
        }
    }

    @Test
    void aLostTrackIsKeptForMaxLostFramesOfTheStreamNotOfTheFramesProcessed() {
        int maxLost = TestConfig.defaults().tracker().maxLostFrames();
        for (int i = 0; i < 5; i++) {
            frame(region(100, 100, 40, 30, RED));
        }
        List<Long> removed = List.of();
        int gone = 0;
        while (removed.isEmpty()) {
            removed = frameAfter(10);
            gone += 10;
        }
        assertThat(gone).isGreaterThan(maxLost).isLessThanOrEqualTo(maxLost + 10);
    }

    @Test
    void twoObjectsThatCrossKeepTheirIds() {
        // red moves right, blue left, 20 px apart vertically: their boxes overlap while they pass
        for (int i = 0; i < 40; i++) {
            frame(region(100 + 6 * i, 100, 40, 40, RED), region(340 - 6 * i, 120, 40, 40, BLUE));
        }
        Track red = tracker.tracks().get(0);
        Track blue = tracker.tracks().get(1);
        assertThat(red.id()).isEqualTo(1);
        assertThat(blue.id()).isEqualTo(2);
        assertThat(red.box().centreX()).isGreaterThan(300);
        assertThat(blue.box().centreX()).isLessThan(150);
        assertThat(red.colour()[2]).isGreaterThan(200);
    }

    @Test
    void aTrackStartedOnTwoObjectsLetsTheOtherGoAsTheyDrawApart() {
        for (int i = 0; i < 5; i++) {
            frame(region(100, 100, 120, 60, RED)); // two objects side by side: one region
        }
        for (int i = 1; i <= 30; i++) {
            frame(region(100 - 2 * i, 100, 50, 60, RED), region(170 + 2 * i, 100, 50, 60, RED));
        }
        assertThat(tracker.tracks()).hasSize(2).allMatch(t -> t.state() == TrackState.CONFIRMED);
        assertThat(tracker.tracks()).allMatch(t -> t.observation().box().width() == 50);
    }

    @Test
    void aGhostLeftWhereAnObjectWasStaysPartOfItsTrack() {
        for (int i = 0; i < 5; i++) {
            frame(region(100 + 4 * i, 100, 40, 30, RED));
        }
        for (int i = 5; i < 40; i++) {
            // background subtraction still sees the object where it was at frame 5
            frame(region(100 + 4 * i, 100, 40, 30, RED), region(112, 105, 10, 20, RED));
            assertThat(only().observation().box().x()).isEqualTo(112);
        }
    }

    @Test
    void aPieceOfAnObjectThatMovesWithItStaysPartOfItsTrack() {
        for (int i = 0; i < 5; i++) {
            frame(region(100 + 4 * i, 100, 40, 30, RED));
        }
        for (int i = 5; i < 40; i++) {
            // a band across the object looks like the background: it is seen as two regions
            frame(region(100 + 4 * i, 100, 40, 14, RED), region(100 + 4 * i, 120, 40, 10, RED));
            assertThat(only().observation().box().height()).isEqualTo(30);
        }
    }

    private List<Long> frame(Observation... regions) {
        return frameAfter(1, regions);
    }

    /** A frame {@code elapsed} frames on from the last one given (the ones between skipped for capacity). */
    private List<Long> frameAfter(int elapsed, Observation... regions) {
        tracker.predict(elapsed);
        List<Observation> left = tracker.associate(List.of(regions));
        for (Observation o : left) {
            tracker.start(o, null);
        }
        return tracker.endFrame();
    }

    private Track only() {
        assertThat(tracker.tracks()).hasSize(1);
        return tracker.tracks().get(0);
    }
}
