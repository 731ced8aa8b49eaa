package io.visionfleet.slam.eval;

import io.visionfleet.slam.geometry.Pose;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Trajectories in the TUM RGB-D format: one pose per line, {@code timestamp tx ty tz qx qy qz qw} (seconds,
 * camera-to-world); lines starting with {@code #} and blank lines are comments.
 */
public final class TumTrajectory {
    private TumTrajectory() {
    }

    public static List<StampedPose> read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("reading trajectory " + file, e);
        }
    }

    /**
     * Parses TUM text.
     *
     * @throws IllegalArgumentException naming the line when a pose line does not have eight numbers
     */
    public static List<StampedPose> parse(String text) {
        List<StampedPose> poses = new ArrayList<>();
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("[\\s,]+");
            if (f.length != 8) {
                throw new IllegalArgumentException("line " + (i + 1) + ": expected 8 values, got " + f.length);
            }
            double[] v = new double[8];
            try {
                for (int k = 0; k < 8; k++) {
                    v[k] = Double.parseDouble(f[k]);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": not a number: " + e.getMessage(), e);
            }
            poses.add(new StampedPose(v[0], Pose.fromQuaternion(v[1], v[2], v[3], v[4], v[5], v[6], v[7])));
        }
        return poses;
    }

    /** One TUM line (without line break): 6 decimals for time, 7 for translation and quaternion. */
    public static String line(StampedPose p) {
        double[] t = p.pose().t();
        double[] q = p.pose().quaternion();
        return String.format(Locale.ROOT, "%.6f %.7f %.7f %.7f %.7f %.7f %.7f %.7f",
                p.timestamp(), t[0], t[1], t[2], q[0], q[1], q[2], q[3]);
    }

    public static void write(Writer out, Iterable<StampedPose> poses) throws IOException {
        out.write("# timestamp tx ty tz qx qy qz qw\n");
        for (StampedPose p : poses) {
            out.write(line(p));
            out.write('\n');
        }
    }

    public static void write(Path file, Iterable<StampedPose> poses) {
        try (Writer out = Files.newBufferedWriter(file)) {
            write(out, poses);
        } catch (IOException e) {
            throw new UncheckedIOException("writing trajectory " + file, e);
        }
    }
}
