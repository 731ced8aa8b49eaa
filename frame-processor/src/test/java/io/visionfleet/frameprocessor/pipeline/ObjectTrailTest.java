package io.visionfleet.frameprocessor.pipeline;

import io.visionfleet.frameprocessor.engine.EngineObject;
import io.visionfleet.frameprocessor.engine.ObjectStatus;
import io.visionfleet.frameprocessor.geom.Box;
import io.visionfleet.frameprocessor.prompt.Prompt;
import io.visionfleet.frameprocessor.prompt.PromptPoint;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Prompts made on an older picture, carried to the frame they are applied to. */
@Tag("quick")
class ObjectTrailTest {
    private static final int W = 640, H = 360;

    /** Object 3 moves 11 px right and 6 px down per 66 ms frame (the synthetic scene's fastest at 15 fps); 5 stands still. */
    private final ObjectTrail trail = new ObjectTrail();

    ObjectTrailTest() {
        for (int i = 0; i < 10; i++) {
            trail.add(1000 + 66L * i, List.of(object(3, new Box(100 + 11 * i, 50 + 6 * i, 67, 45)),
                    object(5, new Box(400, 200, 60, 60))));
        }
    }

    @Test
    void aClickOnAMovingObjectMovesWithItToTheFrameItIsAppliedTo() {
        // clicked in the middle of object 3 as drawn in frame 2; applied to frame 10, not recorded yet
        Prompt carried = trail.carry(click(100 + 22 + 33.5, 50 + 12 + 22.5), 1000 + 132, 1000 + 660, W, H);
        assertThat(carried.points()).singleElement().satisfies(p -> {
            assertThat(p.x()).isEqualTo(100 + 110 + 33.5);
            assertThat(p.y()).isEqualTo(50 + 60 + 22.5);
            assertThat(p.positive()).isTrue();
        });
    }

    @Test
    void aBoxMovesWithTheObjectWhoseCentreItHolds() {
        Prompt box = new Prompt(null, List.of(), new Box(90, 40, 120, 90), "car");
        Prompt carried = trail.carry(box, 1000, 1000 + 594, W, H);
        assertThat(carried.box()).isEqualTo(new Box(90 + 99, 40 + 54, 120, 90));
        assertThat(carried.label()).isEqualTo("car");
    }

    @Test
    void promptsOnStillObjectsOnNothingOrOnPicturesNotKeptStayWhereTheyWere() {
        Prompt still = click(430, 230);
        assertThat(trail.carry(still, 1132, 1660, W, H)).isEqualTo(still);
        Prompt nowhere = click(600, 20);
        assertThat(trail.carry(nowhere, 1132, 1660, W, H)).isEqualTo(nowhere);
        Prompt old = click(155, 84);
        assertThat(trail.carry(old, 1000 - ObjectTrail.MATCH_MS - 1, 1660, W, H)).isEqualTo(old);
    }

    @Test
    void aCorrectionMovesWithTheObjectItNamesAndStaysInTheFrame() {
        Prompt correction = new Prompt(3L, List.of(new PromptPoint(635, 10, true)), null, null);
        Prompt carried = trail.carry(correction, 1000, 1660, W, H);
        assertThat(carried.points()).singleElement().satisfies(p -> {
            assertThat(p.x()).isEqualTo(W - 1);
            assertThat(p.y()).isEqualTo(70);
        });
        assertThat(carried.objectId()).isEqualTo(3L);
    }

    @Test
    void objectsWithoutAnIdYetCarryNothing() {
        // tentative tracks all have id 0: a click on one must not move with another
        ObjectTrail tentative = new ObjectTrail();
        tentative.add(2000, List.of(object(0, new Box(300, 300, 40, 40))));
        tentative.add(2066, List.of(object(0, new Box(300, 300, 40, 40)), object(0, new Box(10, 10, 40, 40))));
        tentative.add(2132, List.of(object(0, new Box(300, 300, 40, 40)), object(0, new Box(20, 10, 40, 40))));
        Prompt onTheStillOne = click(320, 320);
        assertThat(tentative.carry(onTheStillOne, 2000, 2200, W, H)).isEqualTo(onTheStillOne);
    }

    private static Prompt click(double x, double y) {
        return new Prompt(null, List.of(new PromptPoint(x, y, true)), null, null);
    }

    private static EngineObject object(long id, Box box) {
        return new EngineObject(id, ObjectStatus.CONFIRMED, box, null, 0.9, null, false);
    }
}
