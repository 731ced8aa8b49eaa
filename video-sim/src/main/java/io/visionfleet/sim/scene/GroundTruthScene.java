package io.visionfleet.sim.scene;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A deterministic scene with ground truth for tracking tests: {@link SceneActor}s moving over a textured world,
 * static scenery drawn in front of them (so they pass behind it), seen through a camera that may pan and zoom.
 * Every picture comes with its {@link FrameTruth}: the visible mask and id of each actor after occlusion.
 *
 * <p>{@link #render(long, byte[])} fits {@link SyntheticVideo#encode} to make H.264 clips; {@link #truth(long)}
 * renders the same frame again for its truth. {@link GroundTruthScenes} has the standard scenarios.
 */
public final class GroundTruthScene {
    /** A visible part smaller than this fraction of the actor's shape is "don't care" in the truth. */
    public static final double COUNTED_MIN_FRACTION = 0.25;
    /** A visible part of fewer pixels than this is "don't care" in the truth. */
    public static final int COUNTED_MIN_PIXELS = 64;

    /** Where the camera looks at each frame. */
    @FunctionalInterface
    public interface CameraPath {
        Viewport at(long frame);
    }

    /** A static rectangle of the world (a pillar, a tree) drawn over every actor, in world coordinates. */
    public record Scenery(int x, int y, int width, int height, int[] bgr) {
    }

    private final String name;
    private final int width;
    private final int height;
    private final int frames;
    private final List<SceneActor> actors;
    private final List<Scenery> scenery;
    private final CameraPath camera;

    public GroundTruthScene(String name, int width, int height, int frames, List<SceneActor> actors,
                            List<Scenery> scenery, CameraPath camera) {
        if (width < 32 || height < 32 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("scene needs even dimensions of at least 32x32, got " + width + "x" + height);
        }
        if (actors.stream().map(SceneActor::id).distinct().count() != actors.size()) {
            throw new IllegalArgumentException("actor ids of scene " + name + " must be unique");
        }
        this.name = name;
        this.width = width;
        this.height = height;
        this.frames = frames;
        this.actors = actors.stream().sorted(Comparator.comparingInt(SceneActor::depth)).toList();
        this.scenery = List.copyOf(scenery);
        this.camera = camera;
    }

    public String name() {
        return name;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Length of the scripted scene; frames past it show the world with the actors gone. */
    public int frames() {
        return frames;
    }

    public List<SceneActor> actors() {
        return actors;
    }

    public Viewport viewport(long frame) {
        return camera.at(frame);
    }

    /** Renders frame {@code index} as the scripted camera sees it, as packed BGR24 (a {@link SyntheticVideo.FrameRenderer}). */
    public void render(long index, byte[] bgr) {
        render(camera.at(index), index, bgr, new byte[width * height]);
    }

    /** The ground truth of frame {@code index} as the scripted camera sees it. */
    public FrameTruth truth(long index) {
        return render(camera.at(index), index, new byte[width * height * 3], new byte[width * height]);
    }

    /**
     * Renders frame {@code index} through any viewport (a simulated PTZ camera's) into {@code bgr} (packed BGR24) and
     * {@code ids} (actor id per pixel), and returns its truth.
     */
    public FrameTruth render(Viewport view, long index, byte[] bgr, byte[] ids) {
        WorldTexture.fill(view, width, height, bgr);
        Arrays.fill(ids, (byte) 0);
        for (SceneActor actor : actors) {
            if (actor.present(index)) {
                draw(view, actor, actor.centre(index), bgr, ids);
            }
        }
        for (Scenery s : scenery) {
            fill(view, s, bgr, ids);
        }
        return truthOf(view, index, ids);
    }

    private void draw(Viewport view, SceneActor actor, double[] centre, byte[] bgr, byte[] ids) {
        int x0 = clampX(Math.floor(view.pictureX(centre[0] - actor.width() / 2.0)));
        int x1 = clampX(Math.ceil(view.pictureX(centre[0] + actor.width() / 2.0)));
        int y0 = clampY(Math.floor(view.pictureY(centre[1] - actor.height() / 2.0)));
        int y1 = clampY(Math.ceil(view.pictureY(centre[1] + actor.height() / 2.0)));
        int[] colour = actor.bgr();
        for (int v = y0; v < y1; v++) {
            double dy = view.worldY(v + 0.5) - centre[1];
            for (int u = x0; u < x1; u++) {
                double dx = view.worldX(u + 0.5) - centre[0];
                if (!actor.covers(dx, dy)) {
                    continue;
                }
                // diagonal stripes fixed to the actor give it texture that moves with it
                int shade = (((int) Math.floor((dx + dy) / 8)) & 1) == 0 ? 100 : 82;
                int p = (v * width + u) * 3;
                bgr[p] = (byte) (colour[0] * shade / 100);
                bgr[p + 1] = (byte) (colour[1] * shade / 100);
                bgr[p + 2] = (byte) (colour[2] * shade / 100);
                ids[v * width + u] = (byte) actor.id();
            }
        }
    }

    private void fill(Viewport view, Scenery s, byte[] bgr, byte[] ids) {
        int x0 = clampX(Math.round(view.pictureX(s.x())));
        int x1 = clampX(Math.round(view.pictureX(s.x() + s.width())));
        int y0 = clampY(Math.round(view.pictureY(s.y())));
        int y1 = clampY(Math.round(view.pictureY(s.y() + s.height())));
        for (int v = y0; v < y1; v++) {
            for (int u = x0; u < x1; u++) {
                int p = (v * width + u) * 3;
                // a vertical ramp so the scenery is not a flat patch
                int ramp = (v - y0) * 40 / Math.max(1, y1 - y0);
                bgr[p] = (byte) Math.min(255, s.bgr()[0] + ramp);
                bgr[p + 1] = (byte) Math.min(255, s.bgr()[1] + ramp);
                bgr[p + 2] = (byte) Math.min(255, s.bgr()[2] + ramp);
                ids[v * width + u] = 0;
            }
        }
    }

    private FrameTruth truthOf(Viewport view, long index, byte[] ids) {
        int[] area = new int[128];
        int[] minX = new int[128];
        int[] minY = new int[128];
        int[] maxX = new int[128];
        int[] maxY = new int[128];
        Arrays.fill(minX, Integer.MAX_VALUE);
        Arrays.fill(minY, Integer.MAX_VALUE);
        Arrays.fill(maxX, -1);
        Arrays.fill(maxY, -1);
        for (int v = 0, p = 0; v < height; v++) {
            for (int u = 0; u < width; u++, p++) {
                int id = ids[p];
                if (id != 0) {
                    area[id]++;
                    minX[id] = Math.min(minX[id], u);
                    maxX[id] = Math.max(maxX[id], u);
                    minY[id] = Math.min(minY[id], v);
                    maxY[id] = Math.max(maxY[id], v);
                }
            }
        }
        List<FrameTruth.ObjectTruth> objects = new ArrayList<>();
        for (SceneActor actor : actors) {
            int id = actor.id();
            if (area[id] == 0) {
                continue;
            }
            double fraction = area[id] / (actor.area() * view.zoom() * view.zoom());
            boolean counted = fraction >= COUNTED_MIN_FRACTION && area[id] >= COUNTED_MIN_PIXELS;
            int[] bbox = {minX[id], minY[id], maxX[id] - minX[id] + 1, maxY[id] - minY[id] + 1};
            objects.add(new FrameTruth.ObjectTruth(id, bbox, area[id], Math.min(1, fraction), counted));
        }
        return new FrameTruth(index, width, height, ids, objects);
    }

    private int clampX(double x) {
        return (int) Math.max(0, Math.min(width, x));
    }

    private int clampY(double y) {
        return (int) Math.max(0, Math.min(height, y));
    }
}
