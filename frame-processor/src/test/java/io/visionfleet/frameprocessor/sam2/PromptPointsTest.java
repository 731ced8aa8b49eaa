package io.visionfleet.frameprocessor.sam2;

import io.visionfleet.frameprocessor.geom.Box;
import io.visionfleet.frameprocessor.prompt.Prompt;
import io.visionfleet.frameprocessor.prompt.PromptPoint;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Prompts in frame pixels as the prompt encoder takes them on the squashed network input. */
@Tag("quick")
class PromptPointsTest {
    @Test
    void aBoxBecomesItsTwoCornersFirstThenTheClicksEachAxisScaledOnItsOwn() {
        // a 512x256 frame squashed to 1024x1024: x doubles, y quadruples
        Prompt prompt = new Prompt(null, List.of(new PromptPoint(30, 40, false), new PromptPoint(50, 60, true)),
                new Box(10, 20, 100, 50), "car");
        PromptPoints points = PromptPoints.of(prompt, 512, 256, 1024);
        assertThat(points.coords()).containsExactly(20, 80, 220, 280, 60, 160, 100, 240);
        assertThat(points.labels()).containsExactly(2, 3, 0, 1);
    }

    @Test
    void aSingleClickIsOnePositivePoint() {
        PromptPoints points = PromptPoints.of(new Prompt(null, List.of(new PromptPoint(256, 128, true)), null, null),
                512, 256, 1024);
        assertThat(points.coords()).containsExactly(512, 512);
        assertThat(points.labels()).containsExactly(1);
    }
}
