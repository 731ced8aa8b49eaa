package io.visionfleet.sim.scene;

/**
 * The part of a {@link GroundTruthScene}'s world a camera sees: world coordinates of the picture's top-left corner
 * and the zoom (picture pixels per world pixel, 1 for none). A panning camera is a viewport that moves over frames;
 * a PTZ simulator can hand its own viewport to {@link GroundTruthScene#render(Viewport, long, byte[], byte[])}.
 */
public record Viewport(double x, double y, double zoom) {
    public Viewport {
        if (!(zoom > 0)) {
            throw new IllegalArgumentException("zoom must be positive, got " + zoom);
        }
    }

    /** A fixed camera looking at the world's origin. */
    public static final Viewport ORIGIN = new Viewport(0, 0, 1);

    public double worldX(double pictureX) {
        return x + pictureX / zoom;
    }

    public double worldY(double pictureY) {
        return y + pictureY / zoom;
    }

    public double pictureX(double worldX) {
        return (worldX - x) * zoom;
    }

    public double pictureY(double worldY) {
        return (worldY - y) * zoom;
    }
}
