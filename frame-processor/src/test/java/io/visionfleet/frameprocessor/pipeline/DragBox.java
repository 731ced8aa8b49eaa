package io.visionfleet.frameprocessor.pipeline;

import io.visionfleet.frameprocessor.geom.Box;

/** The box the dashboard test drags around a moving object: its box with a margin for its motion, kept in the frame. */
final class DragBox {
    private DragBox() {
    }

    static Box around(Box b, int width, int height) {
        double margin = Math.max(40, 0.08 * width);
        double x = Math.max(1, b.x() - margin);
        double y = Math.max(1, b.y() - margin);
        return new Box(x, y, Math.min(width - 2, b.right() + margin) - x, Math.min(height - 2, b.bottom() + margin) - y);
    }
}
