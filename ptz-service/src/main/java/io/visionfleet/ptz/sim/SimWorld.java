package io.visionfleet.ptz.sim;

import io.visionfleet.sim.scene.FrameTruth;
import io.visionfleet.sim.scene.GroundTruthScene;
import io.visionfleet.sim.scene.SceneActor;
import io.visionfleet.sim.scene.SceneActor.Shape;
import io.visionfleet.sim.scene.SceneActor.Waypoint;
import io.visionfleet.sim.scene.Viewport;
import io.visionfleet.ptz.driver.PtzStatus;

import java.util.ArrayList;
import java.util.List;

/**
 * The wide-angle world the simulated cameras look at: a {@link GroundTruthScene} whose world coordinates are degrees
 * scaled to pixels (pan 0 / tilt 0 at world origin, {@code width / hfov} world pixels per degree), with actors walking
 * across many fields of view. A camera's view is the crop of that world its pan, tilt and zoom select; the script
 * repeats every {@code periodFrames}.
 */
public final class SimWorld {
    /** The runner: a tall red figure crossing the world, pausing, and coming back. */
    public static final int RUNNER = 1;
    /** The walker of the {@code pair} world: a blue figure going slowly the other way lower in the picture. */
    public static final int WALKER = 2;
    /**
     * The companion of the {@code decoy} world: the runner's size and shape in blue, walking hidden right behind it
     * until pan 0, where the runner stops and the companion walks on along the runner's way.
     */
    public static final int DECOY = 3;

    private static final int[] RED = {40, 40, 230};
    private static final int[] BLUE = {230, 80, 30};

    private final GroundTruthScene scene;
    private final double pxPerDeg;
    private final int periodFrames;

    private SimWorld(GroundTruthScene scene, double pxPerDeg, int periodFrames) {
        this.scene = scene;
        this.pxPerDeg = pxPerDeg;
        this.periodFrames = periodFrames;
    }

    /**
     * @param name    {@code runner} (one target from pan -50 to +50 degrees and back), {@code pair} (the runner and a
     *                slower walker going the other way) or {@code decoy} (the runner stops 3 s at pan 0 on its way out
     *                and a companion of another colour, hidden behind it until then, walks on where it would have been)
     * @param seconds length of one pass of the script
     */
    public static SimWorld of(String name, int width, int height, double hfovDeg, double fps, double seconds) {
        double pxPerDeg = width / hfovDeg;
        int period = (int) Math.round(seconds * fps);
        Deg d = new Deg(pxPerDeg, period);
        List<SceneActor> actors = new ArrayList<>();
        int h = (int) Math.round(0.16 * height);
        // out 45 % of the period, a pause of 10 % (a stationary target), back 45 %
        SceneActor runner = new SceneActor(RUNNER, Shape.RECTANGLE, RED, h / 2, h, 2, List.of(
                d.at(0, -50, 2), d.at(0.45, 50, -2), d.at(0.55, 50, -2), d.at(1, -50, 2)));
        switch (name) {
            case "runner" -> actors.add(runner);
            case "pair" -> {
                actors.add(runner);
                actors.add(new SceneActor(WALKER, Shape.ELLIPSE, BLUE, h / 2, h, 1, List.of(
                        d.at(0, 40, 6), d.at(0.5, 10, 6), d.at(1, 40, 6))));
            }
            case "decoy" -> {
                // the runner's way out at its speed, with a 3 s stop at pan 0 (7.5 % of the default 40 s); the
                // companion is drawn behind it (depth 1), so nothing of it shows until they part
                actors.add(new SceneActor(RUNNER, Shape.RECTANGLE, RED, h / 2, h, 2, List.of(d.at(0, -50, 2),
                        d.at(0.225, 0, 0), d.at(0.3, 0, 0), d.at(0.525, 50, -2), d.at(0.6, 50, -2), d.at(1, -50, 2))));
                actors.add(new SceneActor(DECOY, Shape.RECTANGLE, BLUE, h / 2, h, 1, List.of(
                        d.at(0, -50, 2), d.at(0.225, 0, 0), d.at(0.45, 50, -2))));
            }
            default -> throw new IllegalArgumentException("unknown simulator world '" + name + "' (runner, pair or decoy)");
        }
        return new SimWorld(new GroundTruthScene(name, width, height, period, actors, List.of(), f -> Viewport.ORIGIN),
                pxPerDeg, period);
    }

    /** A scene in degrees scaled to pixels ({@code pxPerDeg}), played once (its script repeats after its frames). */
    public static SimWorld of(GroundTruthScene scene, double pxPerDeg) {
        return new SimWorld(scene, pxPerDeg, scene.frames());
    }

    public int width() {
        return scene.width();
    }

    public int height() {
        return scene.height();
    }

    public int periodFrames() {
        return periodFrames;
    }

    /** The crop of the world a camera at {@code status} sees. */
    public Viewport viewport(PtzStatus status) {
        double cx = status.panDeg() * pxPerDeg;
        double cy = -status.tiltDeg() * pxPerDeg;
        double z = status.zoom();
        return new Viewport(cx - scene.width() / (2 * z), cy - scene.height() / (2 * z), z);
    }

    /** Renders world frame {@code frame} (any index: the script repeats) as seen from {@code status}. */
    public FrameTruth render(PtzStatus status, long frame, byte[] bgr, byte[] ids) {
        return scene.render(viewport(status), Math.floorMod(frame, periodFrames), bgr, ids);
    }

    /** Where actor {@code id} is at {@code frame}, as pan and tilt degrees; null while it is absent. */
    public double[] bearing(int id, long frame) {
        long f = Math.floorMod(frame, periodFrames);
        for (SceneActor a : scene.actors()) {
            if (a.id() == id && a.present(f)) {
                double[] c = a.centre(f);
                return new double[]{c[0] / pxPerDeg, -c[1] / pxPerDeg};
            }
        }
        return null;
    }

    /** Waypoints in degrees at fractions of the period. */
    private record Deg(double pxPerDeg, int period) {
        Waypoint at(double fraction, double panDeg, double tiltDeg) {
            long frame = fraction >= 1 ? period - 1 : Math.round(fraction * period);
            return new Waypoint(frame, panDeg * pxPerDeg, -tiltDeg * pxPerDeg);
        }
    }
}
