package io.visionfleet.slam.stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("quick")
class FrameSkipTest {
    @Test
    void takesOneFrameThenSkipsTheConfiguredNumber() {
        assertThat(taken(new FrameSkip(0), 5)).containsExactly(0, 1, 2, 3, 4);
        assertThat(taken(new FrameSkip(2), 10)).containsExactly(0, 3, 6, 9);
        assertThatThrownBy(() -> new FrameSkip(-1)).hasMessageContaining("frame-skip");
    }

    private static List<Integer> taken(FrameSkip skip, int frames) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            if (skip.take()) {
                out.add(i);
            }
        }
        return out;
    }
}
