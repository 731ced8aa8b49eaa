package io.visionfleet.sim.scene;

/**
 * A deterministic test scene: a textured background (so encoders and feature trackers have detail) and a few
 * coloured objects moving on bouncing paths. A frame depends only on its index, so two renderings of frame
 * {@code i} are identical and tests can know where every object is.
 */
public final class SyntheticScene {
    /** An object's box in frame {@code i}: top-left corner and size, in pixels. */
    public record Box(int x, int y, int width, int height) {
    }

    private static final int[][] OBJECT_BGR = {{40, 40, 230}, {230, 80, 30}, {40, 210, 60}, {0, 220, 240}};

    private final int width;
    private final int height;
    private final int objects;
    private final byte[] background;

    public SyntheticScene(int width, int height, int objects) {
        if (width < 32 || height < 32 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("scene needs even dimensions of at least 32x32, got " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.objects = Math.min(objects, OBJECT_BGR.length);
        this.background = renderBackground(width, height);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int objectCount() {
        return objects;
    }

    /** Where object {@code k} is in frame {@code index}: each bounces at its own speed and size. */
    public Box box(int k, long index) {
        int size = Math.max(8, Math.min(width, height) / (5 + k));
        int w = size + size / 2 * (k % 2);
        int h = size;
        int vx = 2 + 3 * k;
        int vy = 3 + k;
        return new Box(bounce(37L * k + vx * index, width - w), bounce(53L * k + vy * index, height - h), w, h);
    }

    /** Renders frame {@code index} as packed BGR24 into {@code bgr} (length width*height*3). */
    public void render(long index, byte[] bgr) {
        System.arraycopy(background, 0, bgr, 0, background.length);
        for (int k = 0; k < objects; k++) {
            Box b = box(k, index);
            int[] colour = OBJECT_BGR[k];
            for (int y = b.y(); y < b.y() + b.height(); y++) {
                int row = y * width * 3;
                for (int x = b.x(); x < b.x() + b.width(); x++) {
                    int p = row + x * 3;
                    bgr[p] = (byte) colour[0];
                    bgr[p + 1] = (byte) colour[1];
                    bgr[p + 2] = (byte) colour[2];
                }
            }
        }
    }

    private static int bounce(long position, int range) {
        if (range <= 0) {
            return 0;
        }
        long period = 2L * range;
        long p = Math.floorMod(position, period);
        return (int) (p <= range ? p : period - p);
    }

    private static byte[] renderBackground(int width, int height) {
        byte[] bgr = new byte[width * height * 3];
        long seed = 0x9E3779B97F4A7C15L;
        int cell = Math.max(4, width / 40);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int cx = x / cell;
                int cy = y / cell;
                long h = (cx * 73856093L) ^ (cy * 19349663L) ^ seed;
                h ^= h >>> 13;
                h *= 0x5bd1e995L;
                int tone = (int) ((h >>> 7) & 0x3f);
                int p = (y * width + x) * 3;
                bgr[p] = (byte) (60 + tone + x * 60 / width);
                bgr[p + 1] = (byte) (70 + tone + y * 60 / height);
                bgr[p + 2] = (byte) (80 + tone);
            }
        }
        return bgr;
    }
}
