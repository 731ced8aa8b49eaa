package io.visionfleet.frameprocessor.motion;

import io.visionfleet.frameprocessor.engine.CommandOutcome;
import io.visionfleet.frameprocessor.geom.Box;
import io.visionfleet.frameprocessor.prompt.Prompt;
import io.visionfleet.frameprocessor.support.PointerScopePerTest;
import io.visionfleet.frameprocessor.support.TestConfig;
import io.visionfleet.frameprocessor.track.MultiObjectTracker;
import io.visionfleet.frameprocessor.track.Observation;
import io.visionfleet.frameprocessor.track.Track;
import io.visionfleet.frameprocessor.track.TrackState;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static io.visionfleet.frameprocessor.support.SolidRegions.BLUE;
import static io.visionfleet.frameprocessor.support.SolidRegions.RED;
import static io.visionfleet.frameprocessor.support.SolidRegions.region;
import static org.assertj.core.api.Assertions.assertThat;

/** Box prompts on tracked objects, with hand-made regions: which object a prompt makes and who keeps it. */
@Tag("quick")
@ExtendWith(PointerScopePerTest.class)
class PromptSelectionTest {
    private final MultiObjectTracker tracker = new MultiObjectTracker(TestConfig.defaults().tracker(), 640, 360);

    @Test
    void aBoxAroundTwoTrackedObjectsMakesOneThatTheirOldTracksDoNotTakeBack() {
        // two objects walking side by side, followed unprompted (automatic mode) as 1 and 2
        for (int i = 0; i < 10; i++) {
            frame(null, pair(i));
        }
        assertThat(tracker.tracks()).extracting(Track::id).containsExactly(1L, 2L);
        CommandOutcome made = frame(new Prompt(null, List.of(), new Box(130, 80, 120, 70), null), pair(10));
        assertThat(made.created()).as("%s", made).isTrue();
        for (int i = 11; i < 30; i++) {
            frame(null, pair(i));
            Track followed = tracker.find(made.objectId()).orElseThrow();
            assertThat(followed.state()).as("frame %d", i).isEqualTo(TrackState.CONFIRMED);
            assertThat(followed.observation().box().width()).as("frame %d", i).isEqualTo(90);
        }
        assertThat(tracker.tracks()).extracting(Track::id).containsExactly(made.objectId());
    }

    @Test
    void aTrackThatMissedTheFrameWhereTheNewObjectIsEndsWithIt() {
        for (int i = 0; i < 10; i++) {
            frame(null, pair(i));
        }
        // blue seen with its shadow for one frame: a region too unlike its track to be matched, left untracked
        CommandOutcome made = frame(new Prompt(null, List.of(), new Box(225, 75, 140, 90), null),
                region(140 + 40, 100, 40, 30, RED), region(240, 85, 120, 70, BLUE));
        assertThat(made.created()).as("%s", made).isTrue();
        assertThat(tracker.find(2)).as("blue's old track").isEmpty();
        for (int i = 11; i < 20; i++) {
            frame(null, pair(i));
            Track followed = tracker.find(made.objectId()).orElseThrow();
            assertThat(followed.state()).as("frame %d", i).isEqualTo(TrackState.CONFIRMED);
            assertThat(followed.observation().box().x()).as("frame %d", i).isEqualTo(190 + 4 * i);
        }
    }

    @Test
    void aPromptedObjectUnderTheBoxOfANewOneIsKept() {
        for (int i = 0; i < 10; i++) {
            frame(null, pair(i));
        }
        CommandOutcome red = frame(new Prompt(null, List.of(), new Box(160, 90, 70, 50), null), pair(10));
        assertThat(red.created()).as("the red one alone: %s", red).isFalse();
        CommandOutcome made = frame(new Prompt(null, List.of(), new Box(170, 80, 120, 70), null), pair(11));
        assertThat(made.created()).as("%s", made).isTrue();
        assertThat(tracker.tracks()).extracting(Track::id).containsExactlyInAnyOrder(red.objectId(), made.objectId());
    }

    /** Red and blue, 40x30 each, 10 px apart, both moving right 4 px a frame. */
    private static Observation[] pair(int i) {
        return new Observation[]{region(140 + 4 * i, 100, 40, 30, RED), region(190 + 4 * i, 100, 40, 30, BLUE)};
    }

    /** One frame as {@link MotionSession} runs it: association, the prompt, new tracks on regions left, life cycle. */
    private CommandOutcome frame(Prompt prompt, Observation... regions) {
        tracker.predict(1);
        List<Observation> left = tracker.associate(List.of(regions));
        CommandOutcome outcome = prompt == null ? null : PromptSelection.apply(prompt, tracker, left, 32);
        left.forEach(o -> tracker.start(o, null));
        tracker.endFrame();
        return outcome;
    }
}
