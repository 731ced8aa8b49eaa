package io.visionfleet.ingest.relay;

import org.bytedeco.javacpp.Loader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The ffmpeg executable bundled with JavaCV: an independent RTSP client and reference decoder for tests. */
final class FfmpegCli {
    private static String path;

    private FfmpegCli() {
    }

    static synchronized String path() {
        if (path == null) {
            path = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        }
        return path;
    }

    /** Starts ffmpeg with {@code args}, stdin closed; the caller reads stdout and stderr. */
    static Process start(String... args) {
        List<String> command = new ArrayList<>();
        command.add(path());
        command.add("-nostdin");
        command.add("-hide_banner");
        command.addAll(List.of(args));
        try {
            return new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The MD5 column of a {@code framemd5} line ("stream, dts, pts, duration, size, md5"); null for comments. */
    static String md5Of(String framemd5Line) {
        if (framemd5Line.startsWith("#")) {
            return null;
        }
        String[] columns = framemd5Line.split(",");
        return columns.length == 6 ? columns[5].trim() : null;
    }
}
