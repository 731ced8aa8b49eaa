package io.visionfleet.frameprocessor.sam2;

import io.visionfleet.frameprocessor.geom.Box;
import io.visionfleet.frameprocessor.prompt.Prompt;
import io.visionfleet.frameprocessor.prompt.PromptPoint;

/**
 * A prompt as the prompt encoder takes it: frame pixels scaled to the squashed network input (x * size / width,
 * y * size / height), a box as its two corners first (labels 2 and 3), then the clicks (1 positive, 0 negative).
 */
record PromptPoints(float[] coords, float[] labels) {
    static PromptPoints of(Prompt prompt, int width, int height, int size) {
        int n = prompt.points().size() + (prompt.box() != null ? 2 : 0);
        float[] coords = new float[2 * n];
        float[] labels = new float[n];
        int i = 0;
        float sx = (float) size / width;
        float sy = (float) size / height;
        Box box = prompt.box();
        if (box != null) {
            coords[0] = (float) box.x() * sx;
            coords[1] = (float) box.y() * sy;
            coords[2] = (float) box.right() * sx;
            coords[3] = (float) box.bottom() * sy;
            labels[0] = Sam2Graphs.BOX_TOP_LEFT;
            labels[1] = Sam2Graphs.BOX_BOTTOM_RIGHT;
            i = 2;
        }
        for (PromptPoint p : prompt.points()) {
            coords[2 * i] = (float) p.x() * sx;
            coords[2 * i + 1] = (float) p.y() * sy;
            labels[i++] = p.positive() ? Sam2Graphs.POSITIVE : Sam2Graphs.NEGATIVE;
        }
        return new PromptPoints(coords, labels);
    }
}
