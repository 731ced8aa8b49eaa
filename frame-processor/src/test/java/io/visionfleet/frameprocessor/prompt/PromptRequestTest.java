package io.visionfleet.frameprocessor.prompt;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("quick")
class PromptRequestTest {
    private static PromptRequest request(Long id, List<PromptRequest.Point> points, double[] box, String label) {
        return new PromptRequest(null, null, null, id, points, box, label, null);
    }

    @Test
    void pointsAndBoxInsideTheFrameMakeAPrompt() {
        Prompt p = request(7L, List.of(new PromptRequest.Point(10.0, 20.0, null), new PromptRequest.Point(30.0, 40.0, false)),
                new double[]{0, 0, 640, 360}, "person").toPrompt(640, 360);
        assertThat(p.objectId()).isEqualTo(7);
        assertThat(p.positives()).containsExactly(new PromptPoint(10, 20, true));
        assertThat(p.negatives()).containsExactly(new PromptPoint(30, 40, false));
        assertThat(p.box().width()).isEqualTo(640);
        assertThat(p.label()).isEqualTo("person");
    }

    @Test
    void badPromptsAreRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> request(null, null, null, null).toPrompt(640, 360)).hasMessageContaining("points or a box");
        assertThatThrownBy(() -> request(null, List.of(new PromptRequest.Point(640.0, 10.0, true)), null, null).toPrompt(640, 360))
                .hasMessageContaining("outside the 640x360 frame");
        assertThatThrownBy(() -> request(null, List.of(new PromptRequest.Point(-1.0, 10.0, true)), null, null).toPrompt(640, 360))
                .hasMessageContaining("outside");
        assertThatThrownBy(() -> request(null, List.of(new PromptRequest.Point(null, 10.0, true)), null, null).toPrompt(640, 360))
                .hasMessageContaining("x and y");
        assertThatThrownBy(() -> request(null, null, new double[]{600, 10, 50, 50}, null).toPrompt(640, 360))
                .hasMessageContaining("not inside");
        assertThatThrownBy(() -> request(null, null, new double[]{1, 2, 3}, null).toPrompt(640, 360))
                .hasMessageContaining("[x, y, width, height]");
        assertThatThrownBy(() -> request(null, null, new double[]{10, 10, 0, 5}, null).toPrompt(640, 360))
                .hasMessageContaining("not inside");
        assertThatThrownBy(() -> request(0L, null, new double[]{10, 10, 5, 5}, null).toPrompt(640, 360))
                .hasMessageContaining("object_id");
        assertThatThrownBy(() -> request(null, Collections.nCopies(33, new PromptRequest.Point(1.0, 1.0, true)), null, null)
                .toPrompt(640, 360)).hasMessageContaining("at most 32");
        assertThatThrownBy(() -> request(null, null, new double[]{10, 10, 5, 5}, "x".repeat(65)).toPrompt(640, 360))
                .hasMessageContaining("label");
    }
}
