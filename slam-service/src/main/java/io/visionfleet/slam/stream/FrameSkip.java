package io.visionfleet.slam.stream;

/** Takes one frame, then passes over {@code skip} frames, and so on ({@code fleet.slam.frame-skip}). */
final class FrameSkip {
    private final int skip;
    private long seen;

    FrameSkip(int skip) {
        if (skip < 0) {
            throw new IllegalArgumentException("fleet.slam.frame-skip must be 0 or more, got " + skip);
        }
        this.skip = skip;
    }

    /** Whether the next frame is processed. */
    boolean take() {
        return seen++ % (skip + 1) == 0;
    }
}
