package io.visionfleet.frameprocessor.sam2;

import io.visionfleet.frameprocessor.geom.Box;
import io.visionfleet.frameprocessor.prompt.Prompt;
import io.visionfleet.frameprocessor.prompt.PromptPoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which object a prompt corrects, creates or removes, on objects whose masks are known cells of a 4x4 grid. */
@Tag("quick")
class PromptTargetTest {
    /** 4x4 logits over a 640x480 frame: one cell is 160x120 pixels. */
    private final Sam2Objects objects = new Sam2Objects(4, 640, 480);
    private Sam2Object left;
    private Sam2Object right;

    /** An object whose mask is the cell at {@code row}, {@code col}. */
    private Sam2Object objectOn(int row, int col) {
        Sam2Object o = new Sam2Object(16, 1, null, false);
        o.logits[row * 4 + col] = 3f;
        objects.register(o);
        return o;
    }

    private static Prompt click(double x, double y, boolean positive) {
        return new Prompt(null, List.of(new PromptPoint(x, y, positive)), null, null);
    }

    @BeforeEach
    void twoObjects() {
        left = objectOn(1, 0);  // x 0-159, y 120-239
        right = objectOn(1, 3); // x 480-639, y 120-239
    }

    @Test
    void aPromptWithAnIdCorrectsThatObjectWhereverItFalls() {
        Prompt prompt = new Prompt(right.id, List.of(new PromptPoint(10, 400, true)), null, null);
        assertThat(PromptTarget.of(prompt, objects, false, 8)).isEqualTo(new PromptTarget.Correction(right, false));
        assertThat(PromptTarget.of(new Prompt(9L, List.of(), new Box(0, 0, 5, 5), null), objects, false, 8))
                .isEqualTo(new PromptTarget.Rejected("no object 9 on this stream"));
    }

    @Test
    void aClickOrABoxCentreOnAMaskCorrectsThatObject() {
        assertThat(PromptTarget.of(click(500, 200, true), objects, false, 2))
                .isEqualTo(new PromptTarget.Correction(right, true));
        // the box's centre (80, 150) is on the left mask, though the box reaches the right one
        Prompt box = new Prompt(null, List.of(), new Box(-400, 100, 960, 100), null);
        assertThat(PromptTarget.of(box, objects, false, 2)).isEqualTo(new PromptTarget.Correction(left, true));
    }

    @Test
    void aPromptOffEveryMaskCreatesWhileTheStreamHasRoom() {
        assertThat(PromptTarget.of(click(300, 200, true), objects, false, 3)).isEqualTo(new PromptTarget.Creation());
        assertThat(PromptTarget.of(click(300, 200, true), objects, false, 2))
                .isEqualTo(new PromptTarget.Rejected("the stream already tracks its maximum of 2 objects"));
    }

    @Test
    void whenPromptsOnlyCreateAClickOnAMaskStartsANewObject() {
        assertThat(PromptTarget.of(click(500, 200, true), objects, true, 3)).isEqualTo(new PromptTarget.Creation());
    }

    @Test
    void negativePointsAloneRemoveEveryObjectUnderThem() {
        Prompt prompt = new Prompt(null, List.of(new PromptPoint(600, 130, false), new PromptPoint(20, 230, false),
                new PromptPoint(300, 400, false)), null, null);
        assertThat(PromptTarget.of(prompt, objects, false, 8)).isEqualTo(new PromptTarget.Removal(List.of(left, right)));
        assertThat(PromptTarget.of(click(300, 400, false), objects, false, 8))
                .isEqualTo(new PromptTarget.Rejected("no object under the negative points"));
    }
}
