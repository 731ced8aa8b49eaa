package io.visionfleet.frameprocessor.detect;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes the output of a YOLOv8/YOLO11 detection export: one tensor [1, 4 + classes, anchors] (or its transpose
 * [1, anchors, 4 + classes]) holding per anchor the box centre, size (network input pixels) and a score per class,
 * already sigmoid-activated, with no objectness term.
 */
final class YoloOutput {
    private YoloOutput() {
    }

    /** Candidates at or above {@code minScore}: box in network input pixels as centre x, centre y, width, height. */
    record Candidate(double cx, double cy, double w, double h, int classId, double score) {
    }

    /**
     * @param shape   the output's shape, [1, a, b]
     * @param classes the number of class names, which tells which axis holds 4 + classes
     * @throws IllegalArgumentException for any other layout
     */
    static List<Candidate> decode(FloatBuffer data, long[] shape, double minScore, int classes) {
        if (shape.length != 3 || shape[0] != 1 || Math.min(shape[1], shape[2]) < 5) {
            throw new IllegalArgumentException("expected a YOLO output [1, 4+classes, anchors], got " + Arrays.toString(shape));
        }
        // exports put 4 + classes first; a transposed export has it last; without a match the smaller axis is it
        boolean channelsFirst = shape[1] == 4 + classes || (shape[2] != 4 + classes && shape[1] <= shape[2]);
        int channels = (int) (channelsFirst ? shape[1] : shape[2]);
        int anchors = (int) (channelsFirst ? shape[2] : shape[1]);
        int channelStride = channelsFirst ? anchors : 1;
        int anchorStride = channelsFirst ? 1 : channels;
        List<Candidate> out = new ArrayList<>();
        for (int a = 0; a < anchors; a++) {
            int base = a * anchorStride;
            int best = -1;
            double bestScore = minScore;
            for (int c = 4; c < channels; c++) {
                double s = data.get(base + c * channelStride);
                if (s >= bestScore) {
                    bestScore = s;
                    best = c - 4;
                }
            }
            if (best >= 0) {
                out.add(new Candidate(data.get(base), data.get(base + channelStride), data.get(base + 2 * channelStride),
                        data.get(base + 3 * channelStride), best, bestScore));
            }
        }
        return out;
    }
}
