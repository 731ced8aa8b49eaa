package io.visionfleet.sim.scene;

/**
 * The endless background of a {@link GroundTruthScene}: square cells of hashed tones (corners for feature trackers,
 * detail for encoders) over slow colour gradients, a pure function of world position so a moving viewport sees a
 * consistent world.
 */
final class WorldTexture {
    private static final int CELL = 16;

    private WorldTexture() {
    }

    static void fill(Viewport view, int width, int height, byte[] bgr) {
        int[] cellX = new int[width];
        int[] gradX = new int[width];
        for (int u = 0; u < width; u++) {
            double wx = view.worldX(u + 0.5);
            cellX[u] = (int) Math.floor(wx / CELL);
            gradX[u] = (int) (30 + 30 * Math.sin(wx / 97));
        }
        for (int v = 0; v < height; v++) {
            double wy = view.worldY(v + 0.5);
            int cellY = (int) Math.floor(wy / CELL);
            int gradY = (int) (30 + 30 * Math.sin(wy / 71));
            int p = v * width * 3;
            for (int u = 0; u < width; u++, p += 3) {
                int tone = tone(cellX[u], cellY);
                bgr[p] = (byte) (60 + tone + gradX[u]);
                bgr[p + 1] = (byte) (70 + tone + gradY);
                bgr[p + 2] = (byte) (80 + tone);
            }
        }
    }

    private static int tone(int cx, int cy) {
        long h = (cx * 73856093L) ^ (cy * 19349663L) ^ 0x9E3779B97F4A7C15L;
        h ^= h >>> 13;
        h *= 0x5bd1e995L;
        return (int) ((h >>> 7) & 0x3f);
    }
}
