package io.visionfleet.ptz.control;

/**
 * Ignores errors smaller than {@code width}, and shifts larger ones by it so the response starts from zero at the edge
 * instead of jumping (a jump there is what makes a camera twitch around a target standing near the edge).
 */
public record DeadZone(double width) {
    public DeadZone {
        if (width < 0) {
            throw new IllegalArgumentException("dead-zone width must be >= 0, got " + width);
        }
    }

    public double apply(double error) {
        if (Math.abs(error) <= width) {
            return 0;
        }
        return error - Math.signum(error) * width;
    }

    public boolean inside(double error) {
        return Math.abs(error) <= width;
    }
}
