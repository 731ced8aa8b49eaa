package io.visionfleet.sim.scene;

import io.visionfleet.sim.scene.GroundTruthScene.Scenery;
import io.visionfleet.sim.scene.SceneActor.Shape;
import io.visionfleet.sim.scene.SceneActor.Waypoint;

import java.util.List;

/**
 * The standard tracking scenarios, scaled to any picture size (positions are fractions of it). Actors enter from
 * outside the picture, so a background model starts from an empty scene.
 * <ul>
 *   <li>{@link #crossing}: paths that cross, nearer actors hiding farther ones while they overlap;</li>
 *   <li>{@link #occlusion}: actors passing fully behind a pillar and partly behind a bush, and one in front of another;</li>
 *   <li>{@link #enterLeave}: actors entering and leaving at every edge at staggered times;</li>
 *   <li>{@link #panning}: a camera panning over a world twice the picture's width while actors move in it.</li>
 * </ul>
 */
public final class GroundTruthScenes {
    /** Frames of every scenario (8 s at 30 fps). */
    public static final int FRAMES = 240;

    private static final int[] RED = {40, 40, 230};
    private static final int[] BLUE = {230, 80, 30};
    private static final int[] GREEN = {40, 210, 60};
    private static final int[] YELLOW = {0, 220, 240};
    private static final int[] MAGENTA = {220, 40, 220};
    private static final int[] WHITE = {235, 235, 235};
    private static final int[] PILLAR = {30, 30, 30};
    private static final int[] BUSH = {20, 90, 30};

    private GroundTruthScenes() {
    }

    /** The static-camera suite: crossing, occlusion, enter/leave. */
    public static List<GroundTruthScene> staticSuite(int width, int height) {
        return List.of(crossing(width, height), occlusion(width, height), enterLeave(width, height));
    }

    public static GroundTruthScene crossing(int width, int height) {
        Scale s = new Scale(width, height);
        return new GroundTruthScene("crossing", width, height, FRAMES, List.of(
                actor(1, Shape.RECTANGLE, RED, s.h(0.22), s.h(0.16), 1, s.at(0, -0.15, 0.42), s.at(239, 1.15, 0.42)),
                actor(2, Shape.ELLIPSE, BLUE, s.h(0.2), s.h(0.2), 2, s.at(0, 1.15, 0.52), s.at(239, -0.15, 0.52)),
                actor(3, Shape.RECTANGLE, GREEN, s.h(0.14), s.h(0.2), 0, s.at(10, 0.35, -0.2), s.at(190, 0.35, 1.2)),
                actor(4, Shape.ELLIPSE, YELLOW, s.h(0.16), s.h(0.12), 3, s.at(60, 0.95, -0.15), s.at(239, 0.6, 1.15))),
                List.of(), fixed());
    }

    public static GroundTruthScene occlusion(int width, int height) {
        Scale s = new Scale(width, height);
        return new GroundTruthScene("occlusion", width, height, FRAMES, List.of(
                actor(1, Shape.ELLIPSE, RED, s.h(0.12), s.h(0.12), 1, s.at(0, -0.1, 0.3), s.at(200, 1.1, 0.3)),
                actor(2, Shape.RECTANGLE, BLUE, s.h(0.14), s.h(0.1), 1, s.at(20, 1.1, 0.72), s.at(239, -0.1, 0.72)),
                actor(3, Shape.RECTANGLE, GREEN, s.h(0.3), s.h(0.22), 1, s.at(0, -0.12, 0.5), s.at(239, 0.3, 0.5)),
                actor(4, Shape.ELLIPSE, MAGENTA, s.h(0.12), s.h(0.12), 2, s.at(40, 0.2, -0.1), s.at(170, 0.2, 1.1))),
                List.of(new Scenery(s.x(0.44), 0, s.x(0.12), height, PILLAR),
                        new Scenery(s.x(0.7), s.y(0.62), s.x(0.07), s.y(0.2), BUSH)),
                fixed());
    }

    public static GroundTruthScene enterLeave(int width, int height) {
        Scale s = new Scale(width, height);
        return new GroundTruthScene("enter-leave", width, height, FRAMES, List.of(
                actor(1, Shape.RECTANGLE, RED, s.h(0.16), s.h(0.12), 1, s.at(0, -0.1, 0.25), s.at(150, 1.1, 0.35)),
                actor(2, Shape.ELLIPSE, BLUE, s.h(0.14), s.h(0.18), 1, s.at(20, 0.7, -0.15), s.at(180, 0.6, 1.15)),
                actor(3, Shape.RECTANGLE, GREEN, s.h(0.2), s.h(0.14), 1, s.at(60, 1.1, 0.75), s.at(230, -0.1, 0.65)),
                actor(4, Shape.ELLIPSE, YELLOW, s.h(0.15), s.h(0.15), 1, s.at(100, 0.2, 1.15), s.at(239, 0.45, -0.15)),
                actor(5, Shape.RECTANGLE, WHITE, s.h(0.12), s.h(0.16), 1, s.at(150, -0.1, 0.55), s.at(239, 0.6, 0.5))),
                List.of(), fixed());
    }

    /**
     * A camera panning right over a world twice the picture's width (eased start and stop, a slow vertical sway) while
     * actors move in the world: one ahead of the camera, one against it, one across.
     */
    public static GroundTruthScene panning(int width, int height) {
        Scale s = new Scale(width, height);
        GroundTruthScene.CameraPath pan = frame -> {
            double t = Math.min(1, Math.max(0, frame / (double) (FRAMES - 1)));
            double eased = t * t * (3 - 2 * t);
            return new Viewport(eased * width, height * (0.1 + 0.05 * Math.sin(2 * Math.PI * t)), 1);
        };
        return new GroundTruthScene("panning", width, height, FRAMES, List.of(
                actor(1, Shape.RECTANGLE, RED, s.h(0.2), s.h(0.15), 1, s.at(0, -0.15, 0.65), s.at(239, 1.6, 0.7)),
                actor(2, Shape.ELLIPSE, BLUE, s.h(0.18), s.h(0.18), 1, s.at(0, 1.8, 0.45), s.at(239, 0.5, 0.5)),
                actor(3, Shape.RECTANGLE, GREEN, s.h(0.14), s.h(0.2), 1, s.at(60, 1.2, -0.1), s.at(200, 1.2, 1.3))),
                List.of(), pan);
    }

    private static GroundTruthScene.CameraPath fixed() {
        return frame -> Viewport.ORIGIN;
    }

    private static SceneActor actor(int id, Shape shape, int[] bgr, int w, int h, int depth, Waypoint... path) {
        return new SceneActor(id, shape, bgr, w, h, depth, List.of(path));
    }

    /** Positions as fractions of the picture size. */
    private record Scale(int width, int height) {
        Waypoint at(long frame, double fx, double fy) {
            return new Waypoint(frame, fx * width, fy * height);
        }

        int h(double f) {
            return (int) Math.round(f * height);
        }

        int x(double f) {
            return (int) Math.round(f * width);
        }

        int y(double f) {
            return (int) Math.round(f * height);
        }
    }
}
