package io.visionfleet.frameprocessor.quality;

import io.visionfleet.frameprocessor.engine.EngineObject;
import io.visionfleet.frameprocessor.geom.Box;
import io.visionfleet.frameprocessor.geom.Mask;

/** A published object of one frame, copied out of native memory: id, box and mask bits over its box. */
public record Hypothesis(long id, Box box, int x, int y, int width, int height, byte[] bits, int area) {
    public static Hypothesis of(EngineObject o) {
        Mask m = o.mask();
        byte[] bits = new byte[m.width() * m.height()];
        org.bytedeco.opencv.opencv_core.Mat continuous = m.pixels().isContinuous() ? m.pixels() : m.pixels().clone();
        continuous.data().get(bits);
        int area = 0;
        for (byte b : bits) {
            area += b != 0 ? 1 : 0;
        }
        return new Hypothesis(o.id(), o.box(), m.x(), m.y(), m.width(), m.height(), bits, area);
    }

    boolean covers(int px, int py) {
        int col = px - x;
        int row = py - y;
        return col >= 0 && row >= 0 && col < width && row < height && bits[row * width + col] != 0;
    }
}
