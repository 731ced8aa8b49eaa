package io.visionfleet.slam.config;

import io.visionfleet.slam.tracking.CameraModel;

import java.util.List;

/**
 * The intrinsics a stream is tracked with: its configured calibration (scaled when the stream's picture size
 * differs from the calibration's, at the same aspect ratio), or a default field of view when it has none.
 */
public final class CameraModels {
    /** The model to use, or why none fits. */
    public record Resolved(CameraModel model, String problem, boolean configured) {
    }

    private final SlamConfig config;

    public CameraModels(SlamConfig config) {
        this.config = config;
    }

    public Resolved forStream(String streamId, int width, int height) {
        SlamConfig.Camera c = config.cameras().get(streamId);
        if (c == null) {
            return new Resolved(CameraModel.fromFieldOfView(width, height, config.defaultHfovDeg()), null, false);
        }
        CameraModel model;
        try {
            double[] distortion = c.distortion().map(CameraModels::toArray).orElse(new double[0]);
            model = new CameraModel(c.fx(), c.fy(), c.cx(), c.cy(), distortion);
        } catch (IllegalArgumentException e) {
            return new Resolved(null, e.getMessage(), true);
        }
        if (c.width().isPresent() != c.height().isPresent()) {
            return new Resolved(null, "give both width and height of the calibration, or neither", true);
        }
        if (c.width().isPresent()) {
            int cw = c.width().get();
            int ch = c.height().get();
            if (cw != width || ch != height) {
                double sx = width / (double) cw;
                double sy = height / (double) ch;
                if (Math.abs(sx - sy) > 0.01 * Math.max(sx, sy)) {
                    return new Resolved(null, "calibrated at " + cw + "x" + ch + " but the stream is " + width + "x"
                            + height + " (another aspect ratio)", true);
                }
                model = model.scaled(sx, sy);
            }
        }
        return new Resolved(model, model.problemWith(width, height), true);
    }

    static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
