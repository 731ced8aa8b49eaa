package io.visionfleet.slam.output;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

/** Writes sparse maps as ASCII PLY point clouds: x, y, z and the map segment of every landmark. */
public final class PlyWriter {
    /** The landmark positions (packed xyz) of one map segment. */
    public record Cloud(int segment, double[] points) {
    }

    private PlyWriter() {
    }

    public static void write(Writer out, String comment, List<Cloud> clouds) throws IOException {
        int n = clouds.stream().mapToInt(c -> c.points().length / 3).sum();
        out.write("ply\nformat ascii 1.0\n");
        out.write("comment " + comment.replace('\n', ' ') + "\n");
        out.write("element vertex " + n + "\n");
        out.write("property float x\nproperty float y\nproperty float z\nproperty int segment\nend_header\n");
        for (Cloud c : clouds) {
            double[] p = c.points();
            for (int i = 0; i + 2 < p.length; i += 3) {
                out.write(String.format(Locale.ROOT, "%.5f %.5f %.5f %d%n", p[i], p[i + 1], p[i + 2], c.segment()));
            }
        }
    }
}
