package io.visionfleet.ptz.control;

import io.visionfleet.common.messages.TrackedObject;

import java.util.List;

/**
 * Where an object is in the picture, from its mask when it has one: the centroid of the mask's pixels is the centre of
 * what is really there (a box's centre drifts towards an outstretched arm or a shadow), and the mask's extent its size.
 * Falls back to the box.
 */
record MaskGeometry(double cx, double cy, double left, double top, double right, double bottom) {
    static MaskGeometry of(TrackedObject o) {
        TrackedObject.MaskRle m = o.mask();
        if (m != null && m.counts() != null && m.width() > 0 && m.height() > 0) {
            MaskGeometry g = fromRle(m.width(), m.height(), m.counts());
            if (g != null) {
                return g;
            }
        }
        int[] b = o.bbox();
        if (b == null || b.length != 4) {
            return null;
        }
        return new MaskGeometry(b[0] + b[2] / 2.0, b[1] + b[3] / 2.0, b[0], b[1], b[0] + b[2], b[1] + b[3]);
    }

    double height() {
        return bottom - top;
    }

    /** Null when the mask is empty or its counts overrun its size. */
    static MaskGeometry fromRle(int width, int height, List<Integer> counts) {
        long total = (long) width * height;
        long p = 0;
        double sx = 0;
        double sy = 0;
        long n = 0;
        int minX = Integer.MAX_VALUE;
        int maxX = -1;
        int minY = Integer.MAX_VALUE;
        int maxY = -1;
        for (int i = 0; i < counts.size(); i++) {
            int run = counts.get(i);
            if (run < 0 || p + run > total) {
                return null;
            }
            if (i % 2 == 1) {
                // a run of ones may span rows: account for it row segment by row segment
                long q = p;
                long end = p + run;
                while (q < end) {
                    int y = (int) (q / width);
                    int x0 = (int) (q % width);
                    int x1 = (int) Math.min(width, x0 + (end - q));
                    int len = x1 - x0;
                    sx += len * (x0 + x1 - 1) / 2.0;
                    sy += (double) len * y;
                    n += len;
                    minX = Math.min(minX, x0);
                    maxX = Math.max(maxX, x1 - 1);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                    q += len;
                }
            }
            p += run;
        }
        if (n == 0) {
            return null;
        }
        return new MaskGeometry(sx / n + 0.5, sy / n + 0.5, minX, minY, maxX + 1, maxY + 1);
    }
}
