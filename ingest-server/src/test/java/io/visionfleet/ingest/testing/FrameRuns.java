package io.visionfleet.ingest.testing;

import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on decoded frame sequences of a looped clip. */
public final class FrameRuns {
    private FrameRuns() {
    }

    /**
     * The decoded frames are the clip's frames in order, looping, starting at one of its IDRs: nothing lost,
     * repeated, reordered or altered.
     */
    public static void assertLoopOfClip(List<String> decoded, List<String> clip, int gopFrames) {
        assertThat(decoded).isNotEmpty();
        int start = clip.indexOf(decoded.get(0));
        assertThat(start).as("first decoded frame is a frame of the clip").isGreaterThanOrEqualTo(0);
        assertThat(start % gopFrames).as("first decoded frame is an IDR").isZero();
        for (int i = 0; i < decoded.size(); i++) {
            assertThat(decoded.get(i)).as("decoded frame %d; the clip's pictures decoded: %s", i, picturesOf(decoded, clip))
                    .isEqualTo(clip.get((start + i) % clip.size()));
        }
    }

    /** Each decoded frame as the index of the clip's picture it is, -1 for none: shows a jump, a repeat or a corruption. */
    private static String picturesOf(List<String> decoded, List<String> clip) {
        return decoded.stream().map(digest -> String.valueOf(clip.indexOf(digest))).collect(Collectors.joining(",", "[", "]"));
    }
}
