package io.visionfleet.ptz.control;

import io.visionfleet.common.mask.CocoRle;
import io.visionfleet.common.messages.TrackedObject;

/**
 * Where an object is in the picture, from its mask when it has one: the centroid of the mask's pixels is the centre of
 * what is really there (a box's centre drifts towards an outstretched arm or a shadow), and the mask's extent its size.
 * Falls back to the box.
 */
record MaskGeometry(double cx, double cy, double left, double top, double right, double bottom) {
    static MaskGeometry of(TrackedObject o) {
        MaskGeometry g = o.mask() == null ? null : fromRle(o.mask());
        if (g != null) {
            return g;
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

    /** Null when the mask is empty or malformed. */
    static MaskGeometry fromRle(TrackedObject.MaskRle mask) {
        int[] runs;
        try {
            runs = CocoRle.runs(mask);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int height = mask.height();
        long p = 0;
        double sx = 0;
        double sy = 0;
        long n = 0;
        int minX = Integer.MAX_VALUE;
        int maxX = -1;
        int minY = Integer.MAX_VALUE;
        int maxY = -1;
        for (int i = 0; i < runs.length; i++) {
            if (i % 2 == 1) {
                // the runs go down the columns and a run of ones may span columns: take it column by column
                long q = p;
                long end = p + runs[i];
                while (q < end) {
                    int x = (int) (q / height);
                    int y0 = (int) (q % height);
                    int y1 = (int) Math.min(height, y0 + (end - q));
                    int len = y1 - y0;
                    sx += (double) len * x;
                    sy += len * (y0 + y1 - 1) / 2.0;
                    n += len;
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y0);
                    maxY = Math.max(maxY, y1 - 1);
                    q += len;
                }
            }
            p += runs[i];
        }
        if (n == 0) {
            return null;
        }
        return new MaskGeometry(sx / n + 0.5, sy / n + 0.5, minX, minY, maxX + 1, maxY + 1);
    }
}
