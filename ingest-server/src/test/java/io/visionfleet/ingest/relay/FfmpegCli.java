package io.visionfleet.ingest.relay;

import org.bytedeco.javacpp.Loader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /**
     * ffmpeg reading a relay URL over TCP and printing the {@code framemd5} of every picture it decodes, each as it is:
     * its default frame-rate mode for this output drops pictures whose times (server-stamped, so load-dependent) look
     * too close to the previous one's.
     */
    static Process readRelay(String logLevel, String url, String... outputOptions) {
        List<String> args = new ArrayList<>(List.of("-loglevel", logLevel, "-rtsp_transport", "tcp", "-i", url,
                "-fps_mode", "passthrough"));
        args.addAll(List.of(outputOptions));
        args.addAll(List.of("-f", "framemd5", "-"));
        return start(args.toArray(String[]::new));
    }

    /**
     * The CLI's {@code framemd5} of every picture it decodes from an Annex-B clip (MD5 of the decoded YUV picture,
     * unlike a grabber's BGR digest), to compare with what the CLI decodes through the relay.
     */
    static List<String> framemd5(byte[] annexB) {
        try {
            Path file = Files.createTempFile("framemd5", ".h264");
            try {
                Files.write(file, annexB);
                Process ffmpeg = start("-loglevel", "error", "-i", file.toString(), "-f", "framemd5", "-");
                List<String> digests = md5s(ffmpeg.getInputStream());
                if (ffmpeg.waitFor() != 0) {
                    throw new IllegalStateException("ffmpeg failed: " + new String(ffmpeg.getErrorStream().readAllBytes()));
                }
                return digests;
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The MD5 of every picture in a whole {@code framemd5} output, read to its end. */
    static List<String> md5s(InputStream framemd5Output) throws IOException {
        return new String(framemd5Output.readAllBytes(), StandardCharsets.US_ASCII).lines()
                .map(FfmpegCli::md5Of).filter(md5 -> md5 != null).toList();
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
