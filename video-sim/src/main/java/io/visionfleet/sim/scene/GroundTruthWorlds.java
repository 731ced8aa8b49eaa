package io.visionfleet.sim.scene;

import io.visionfleet.sim.scene.GroundTruthScene.Scenery;
import io.visionfleet.sim.scene.SceneActor.Shape;
import io.visionfleet.sim.scene.SceneActor.Waypoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded wide worlds for PTZ tests: one designated target (actor {@link #TARGET}) crossing the world from its left
 * part to its right, at times standing, and 0-5 others of similar or different colours that cross its path (in front
 * of it or behind), stand and walk off, walk beside it and part, or enter and leave, with 0-2 pillars it passes
 * behind. The others walk in from above or below every view and out again. Positions are in units of {@link Layout#pxPerUnit} world pixels (a PTZ simulator's degrees), x from -50 to
 * 50, y (down) within ±6; the same seed always gives the same world.
 */
public final class GroundTruthWorlds {
    /** The id of the actor the camera is asked to follow. */
    public static final int TARGET = 1;
    /** Above or below every camera's view (tilt within ±6 plus half the widest vertical field of view, 17). */
    static final double OFFSTAGE_Y = 26;
    /** Units/s at which others walk in from off stage and out again. */
    static final double LEAD_SPEED = 5;

    private static final int[][] PALETTE = {
            {40, 40, 230}, {230, 80, 30}, {40, 210, 60}, {0, 220, 240}, {220, 40, 220}, {235, 235, 235}, {20, 120, 250}};
    private static final int[] PILLAR = {30, 30, 30};

    /**
     * @param width     picture width
     * @param height    picture height
     * @param pxPerUnit world pixels per unit of position
     * @param fps       frames per second
     * @param seconds   length of the world
     */
    public record Layout(int width, int height, double pxPerUnit, double fps, double seconds) {
        int frames() {
            return (int) Math.round(seconds * fps);
        }
    }

    /** A generated world: its scene and, for reports, what each actor does. */
    public record World(long seed, GroundTruthScene scene, List<String> roles) {
        public SceneActor target() {
            return scene.actors().stream().filter(a -> a.id() == TARGET).findFirst().orElseThrow();
        }
    }

    private GroundTruthWorlds() {
    }

    public static World generate(long seed, Layout layout) {
        return new Generator(new Random(seed), layout).world(seed);
    }

    /** One world's drawing of random choices, in a fixed order so a seed always gives the same world. */
    private static final class Generator {
        private final Random random;
        private final Layout layout;
        private final int frames;
        private final int[] targetColour;
        private String targetRole = "target";

        Generator(Random random, Layout layout) {
            this.random = random;
            this.layout = layout;
            this.frames = layout.frames();
            this.targetColour = PALETTE[random.nextInt(PALETTE.length)];
        }

        World world(long seed) {
            List<SceneActor> actors = new ArrayList<>();
            List<String> roles = new ArrayList<>();
            SceneActor target = target();
            actors.add(target);
            roles.add(targetRole);
            int others = random.nextInt(6);
            for (int id = TARGET + 1; id <= TARGET + others; id++) {
                boolean similar = random.nextBoolean();
                int[] colour = similar ? near(targetColour) : other();
                String role = switch (random.nextInt(4)) {
                    case 0 -> {
                        actors.add(crosser(id, colour, target));
                        yield "crosser";
                    }
                    case 1 -> {
                        actors.add(stander(id, colour, target));
                        yield "stander";
                    }
                    case 2 -> {
                        actors.add(companion(id, colour, target));
                        yield "companion";
                    }
                    default -> {
                        actors.add(passer(id, colour));
                        yield "passer";
                    }
                };
                roles.add(role + (similar ? " (similar colour)" : ""));
            }
            List<Scenery> pillars = new ArrayList<>();
            for (int i = random.nextInt(3); i > 0; i--) {
                double w = 3 + 2 * random.nextDouble();
                pillars.add(new Scenery(px(-35 + 70 * random.nextDouble()), px(-16), px(w), px(32), PILLAR));
                roles.add("pillar");
            }
            return new World(seed, new GroundTruthScene("world-" + seed, layout.width(), layout.height(), frames, actors,
                    pillars, f -> Viewport.ORIGIN), roles);
        }

        /** From x -48..-40 to 40..48 and maybe part of the way back, in legs of 3-8 units/s, perhaps standing 1.5-4 s. */
        private SceneActor target() {
            List<Waypoint> path = new ArrayList<>();
            double x = -48 + 8 * random.nextDouble();
            double y = -4 + 8 * random.nextDouble();
            double t = 0;
            path.add(at(t, x, y));
            double stopAt = random.nextBoolean() ? -20 + 40 * random.nextDouble() : Double.NaN;
            double[] goals = {Double.isNaN(stopAt) ? 40 + 8 * random.nextDouble() : stopAt, 40 + 8 * random.nextDouble(),
                    -10 + 30 * random.nextDouble()};
            for (double goal : goals) {
                if (t >= layout.seconds()) {
                    break;
                }
                double ny = Math.max(-5, Math.min(5, y - 2 + 4 * random.nextDouble()));
                double legT = t + Math.hypot(goal - x, ny - y) / (3 + 5 * random.nextDouble());
                path.add(at(legT, goal, ny));
                if (goal == stopAt) {
                    double stand = 1.5 + 2.5 * random.nextDouble();
                    targetRole = String.format("target (stands %.1f s at %.0f)", stand, stopAt);
                    legT += stand;
                    path.add(at(legT, goal, ny));
                }
                x = goal;
                y = ny;
                t = legT;
            }
            List<Waypoint> inside = clip(path);
            Waypoint end = inside.get(inside.size() - 1);
            // the target stays to the end, standing where its walk ended
            append(inside, new Waypoint(frames - 1, end.x(), end.y()));
            return actor(TARGET, targetColour, 2, inside);
        }

        /** Through the target's position at a random time, from about 15 units away, in front of it or behind. */
        private SceneActor crosser(int id, int[] colour, SceneActor target) {
            double tc = layout.seconds() * (0.1 + 0.8 * random.nextDouble());
            double[] c = target.centre(frame(tc));
            double angle = 2 * Math.PI * random.nextDouble();
            double speed = 3 + 5 * random.nextDouble();
            double dx = Math.cos(angle) * 15;
            double dy = Math.sin(angle) * 6;
            double half = Math.hypot(dx, dy) / speed;
            double cx = c[0] / layout.pxPerUnit();
            double cy = c[1] / layout.pxPerUnit();
            return actor(id, colour, random.nextBoolean() ? 3 : 1,
                    offstage(List.of(at(tc - half, cx - dx, cy - dy), at(tc + half, cx + dx, cy + dy))));
        }

        /** Walks in near the target's way, stands 2-5 s, walks off. */
        private SceneActor stander(int id, int[] colour, SceneActor target) {
            double t0 = layout.seconds() * 0.7 * random.nextDouble();
            double[] c = target.centre(frame(t0 + 3));
            double sx = c[0] / layout.pxPerUnit() + (-10 + 20 * random.nextDouble());
            double sy = c[1] / layout.pxPerUnit() + (-3 + 6 * random.nextDouble());
            double speed = 2 + 4 * random.nextDouble();
            double stand = 2 + 3 * random.nextDouble();
            double fromX = sx + (random.nextBoolean() ? 12 : -12);
            double toX = sx + (random.nextBoolean() ? 12 : -12);
            double walk = 12 / speed;
            return actor(id, colour, random.nextBoolean() ? 3 : 1, offstage(List.of(at(t0, fromX, sy), at(t0 + walk, sx, sy),
                    at(t0 + walk + stand, sx, sy), at(t0 + 2 * walk + stand, toX, sy + (-3 + 6 * random.nextDouble())))));
        }

        /** Beside the target (1.5-4 units off) for 3-8 s, then parting. */
        private SceneActor companion(int id, int[] colour, SceneActor target) {
            double t0 = layout.seconds() * 0.8 * random.nextDouble();
            double t1 = Math.min(layout.seconds(), t0 + 3 + 5 * random.nextDouble());
            double ox = (random.nextBoolean() ? 1 : -1) * (1.5 + 2.5 * random.nextDouble());
            double oy = -1 + 2 * random.nextDouble();
            List<Waypoint> path = new ArrayList<>();
            for (double t = t0; t <= t1; t += 0.5) {
                double[] c = target.centre(frame(t));
                path.add(at(t, c[0] / layout.pxPerUnit() + ox, c[1] / layout.pxPerUnit() + oy));
            }
            Waypoint last = path.get(path.size() - 1);
            path.add(at(t1 + 4, last.x() / layout.pxPerUnit() + (random.nextBoolean() ? 15 : -15),
                    last.y() / layout.pxPerUnit() + (random.nextBoolean() ? 4 : -4)));
            return actor(id, colour, random.nextBoolean() ? 3 : 1, offstage(path));
        }

        /** Enters somewhere at a random time and leaves along a straight line. */
        private SceneActor passer(int id, int[] colour) {
            double t0 = layout.seconds() * 0.9 * random.nextDouble();
            double x0 = -50 + 100 * random.nextDouble();
            double x1 = x0 + (random.nextBoolean() ? 1 : -1) * (15 + 25 * random.nextDouble());
            double speed = 2 + 6 * random.nextDouble();
            return actor(id, colour, random.nextBoolean() ? 3 : 1, offstage(List.of(at(t0, x0, -8 + 16 * random.nextDouble()),
                    at(t0 + Math.abs(x1 - x0) / speed, x1, -8 + 16 * random.nextDouble()))));
        }

        /**
         * An other's path walked in from beyond the top or bottom of any view and out again the same way: people come
         * into the picture, they do not appear in it (a new track in mid-picture is what a tracker makes of an object
         * walking off from another one, which the controller handles apart).
         */
        private List<Waypoint> offstage(List<Waypoint> path) {
            List<Waypoint> out = new ArrayList<>();
            Waypoint first = path.get(0);
            Waypoint last = path.get(path.size() - 1);
            double side = random.nextBoolean() ? OFFSTAGE_Y : -OFFSTAGE_Y;
            out.add(new Waypoint(first.frame() - frame(lead(first, side)), first.x(), side * layout.pxPerUnit()));
            out.addAll(path);
            out.add(new Waypoint(last.frame() + frame(lead(last, -side)), last.x(), -side * layout.pxPerUnit()));
            return clip(out);
        }

        /** Seconds to walk at {@link #LEAD_SPEED} between {@code w} and height {@code y} (units). */
        private double lead(Waypoint w, double y) {
            return Math.max(0.5, Math.abs(y - w.y() / layout.pxPerUnit()) / LEAD_SPEED);
        }

        private SceneActor actor(int id, int[] colour, int depth, List<Waypoint> path) {
            double h = layout.height() * (0.13 + 0.06 * random.nextDouble());
            double w = h * (0.4 + 0.2 * random.nextDouble());
            Shape shape = random.nextBoolean() ? Shape.RECTANGLE : Shape.ELLIPSE;
            return new SceneActor(id, shape, colour, (int) Math.round(w), (int) Math.round(h), depth, path);
        }

        /** The part of the path inside frames 0..frames-1, cut where it leaves that span. */
        private List<Waypoint> clip(List<Waypoint> path) {
            List<Waypoint> out = new ArrayList<>();
            Waypoint prev = null;
            for (Waypoint w : path) {
                if (prev != null && prev.frame() < 0 && w.frame() > 0) {
                    append(out, between(prev, w, 0));
                }
                if (prev != null && prev.frame() < frames - 1 && w.frame() > frames - 1) {
                    append(out, between(prev, w, frames - 1));
                }
                if (w.frame() >= 0 && w.frame() < frames) {
                    append(out, w);
                }
                prev = w;
            }
            return out;
        }

        /** Waypoints must have increasing frames: one that rounds onto the last one's frame is dropped. */
        private static void append(List<Waypoint> out, Waypoint w) {
            if (out.isEmpty() || w.frame() > out.get(out.size() - 1).frame()) {
                out.add(w);
            }
        }

        private static Waypoint between(Waypoint a, Waypoint b, long frame) {
            double s = (double) (frame - a.frame()) / (b.frame() - a.frame());
            return new Waypoint(frame, a.x() + s * (b.x() - a.x()), a.y() + s * (b.y() - a.y()));
        }

        private int[] near(int[] bgr) {
            int[] c = new int[3];
            for (int i = 0; i < 3; i++) {
                c[i] = Math.max(0, Math.min(255, bgr[i] - 25 + random.nextInt(51)));
            }
            return c;
        }

        private int[] other() {
            int[] c;
            do {
                c = PALETTE[random.nextInt(PALETTE.length)];
            } while (c == targetColour);
            return c;
        }

        private Waypoint at(double seconds, double x, double y) {
            return new Waypoint(frame(seconds), x * layout.pxPerUnit(), y * layout.pxPerUnit());
        }

        private long frame(double seconds) {
            return Math.round(seconds * layout.fps());
        }

        private int px(double units) {
            return (int) Math.round(units * layout.pxPerUnit());
        }
    }
}
