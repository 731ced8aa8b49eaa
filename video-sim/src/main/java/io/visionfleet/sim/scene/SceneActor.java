package io.visionfleet.sim.scene;

import java.util.List;

/**
 * A moving object of a {@link GroundTruthScene}: a filled shape that follows straight segments between waypoints in
 * world coordinates. It exists from its first waypoint's frame to its last one's; {@code depth} orders actors that
 * overlap (higher is nearer the camera and hides the others).
 *
 * @param id     ground-truth id, 1..127
 * @param bgr    base colour; the shape is drawn with a faint stripe pattern so it has texture of its own
 * @param width  size in world pixels
 * @param height size in world pixels
 */
public record SceneActor(int id, Shape shape, int[] bgr, int width, int height, int depth, List<Waypoint> path) {
    public enum Shape { RECTANGLE, ELLIPSE }

    /** Where the actor's centre is at {@code frame}. */
    public record Waypoint(long frame, double x, double y) {
    }

    public SceneActor {
        if (id < 1 || id > 127) {
            throw new IllegalArgumentException("actor id must be in 1..127, got " + id);
        }
        if (path.isEmpty()) {
            throw new IllegalArgumentException("actor " + id + " needs at least one waypoint");
        }
        for (int i = 1; i < path.size(); i++) {
            if (path.get(i).frame() <= path.get(i - 1).frame()) {
                throw new IllegalArgumentException("waypoints of actor " + id + " must have increasing frames");
            }
        }
        path = List.copyOf(path);
    }

    /** Whether the actor is in the world at {@code frame}. */
    public boolean present(long frame) {
        return frame >= path.get(0).frame() && frame <= path.get(path.size() - 1).frame();
    }

    /** Centre in world coordinates at {@code frame} (interpolated between waypoints); only while {@link #present}. */
    public double[] centre(long frame) {
        Waypoint previous = path.get(0);
        for (Waypoint next : path) {
            if (next.frame() >= frame) {
                if (next == previous) {
                    return new double[]{next.x(), next.y()};
                }
                double t = (double) (frame - previous.frame()) / (next.frame() - previous.frame());
                return new double[]{previous.x() + t * (next.x() - previous.x()), previous.y() + t * (next.y() - previous.y())};
            }
            previous = next;
        }
        return new double[]{previous.x(), previous.y()};
    }

    /** Whether world offset ({@code dx}, {@code dy}) from the centre lies inside the shape. */
    boolean covers(double dx, double dy) {
        double hx = width / 2.0;
        double hy = height / 2.0;
        return switch (shape) {
            case RECTANGLE -> Math.abs(dx) < hx && Math.abs(dy) < hy;
            case ELLIPSE -> (dx * dx) / (hx * hx) + (dy * dy) / (hy * hy) < 1;
        };
    }

    /** Area of the whole shape in world pixels. */
    double area() {
        return shape == Shape.RECTANGLE ? (double) width * height : Math.PI * width * height / 4;
    }
}
