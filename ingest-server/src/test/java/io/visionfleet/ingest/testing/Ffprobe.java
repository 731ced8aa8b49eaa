package io.visionfleet.ingest.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** What the {@code ffprobe} on the PATH reads from a file's first video stream. */
public final class Ffprobe {
    private Ffprobe() {
    }

    /** Each packet's presentation time in the stream's timescale, in file order. */
    public static List<Long> presentationTimes(Path file) throws Exception {
        return entries(file, "packet=pts").lines().map(Long::parseLong).toList();
    }

    /** The values of {@code -show_entries} (e.g. {@code stream=codec_name,width}), comma-separated, one line each. */
    public static String entries(Path file, String entries) throws Exception {
        Process ffprobe = new ProcessBuilder("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", entries,
                "-of", "csv=p=0", file.toString()).redirectErrorStream(true).start();
        String out = new String(ffprobe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (ffprobe.waitFor() != 0) {
            throw new AssertionError("ffprobe failed on " + file + ": " + out);
        }
        return out;
    }
}
