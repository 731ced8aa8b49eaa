package io.visionfleet.common.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.visionfleet.common.bus.Json;
import org.bytedeco.javacpp.Loader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * FFmpeg's own ffprobe (the executable bundled with JavaCV) as the independent judge of recorded files (it decodes
 * every picture, {@code -count_frames}, and reports what it could not decode) and of what a relay serves.
 */
public final class Ffprobe {
    /**
     * @param decodedFrames pictures ffprobe decoded
     * @param packets       video packets in the file
     * @param durationMs    from the first packet's time to the end of the last packet, ms
     * @param startsOnKey   whether the first packet is a key frame
     * @param errors        ffprobe's error output (empty for a clean file)
     * @param codec         the video track's codec name ({@code h264}, {@code hevc})
     * @param codecTag      its sample entry ({@code avc1}, {@code hvc1}, {@code hev1})
     */
    public record Probe(long decodedFrames, long packets, long durationMs, boolean startsOnKey, String errors,
                        String codec, String codecTag) {
    }

    private Ffprobe() {
    }

    public static Probe probe(Path file) throws IOException, InterruptedException {
        JsonNode root = run(file, "-count_frames", "-show_entries", "stream=nb_read_frames,codec_name,codec_tag_string",
                "-show_entries", "packet=pts_time,duration_time,flags");
        JsonNode packets = root.path("packets");
        double first = Double.NaN;
        double end = 0;
        boolean key = false;
        for (int i = 0; i < packets.size(); i++) {
            JsonNode p = packets.get(i);
            double pts = p.path("pts_time").asDouble();
            if (i == 0) {
                first = pts;
                key = p.path("flags").asText().startsWith("K");
            }
            end = Math.max(end, pts + p.path("duration_time").asDouble(0));
        }
        long duration = packets.isEmpty() ? 0 : Math.round((end - first) * 1000);
        JsonNode stream = root.path("streams").path(0);
        return new Probe(stream.path("nb_read_frames").asLong(), packets.size(), duration, key,
                root.path("errors").asText(), stream.path("codec_name").asText(), stream.path("codec_tag_string").asText());
    }

    /** The first video stream of a live RTSP stream (read over TCP) as ffprobe describes it: {@code codec,width,height}. */
    public static String rtspStream(String url) throws IOException, InterruptedException {
        JsonNode stream = run(url, "-rtsp_transport", "tcp", "-show_entries", "stream=codec_name,width,height")
                .path("streams").path(0);
        return stream.path("codec_name").asText() + "," + stream.path("width").asInt() + "," + stream.path("height").asInt();
    }

    private static JsonNode run(Path file, String... options) throws IOException, InterruptedException {
        return run(file.toAbsolutePath().toString(), options);
    }

    private static JsonNode run(String input, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Loader.load(org.bytedeco.ffmpeg.ffprobe.class),
                "-v", "error", "-select_streams", "v:0", "-of", "json"));
        command.addAll(List.of(options));
        command.add(input);
        Process process = new ProcessBuilder(command).start();
        byte[] out = process.getInputStream().readAllBytes();
        String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("ffprobe did not finish on " + input);
        }
        JsonNode root = Json.MAPPER.readTree(out);
        ((com.fasterxml.jackson.databind.node.ObjectNode) root).put("errors", errors);
        return root;
    }
}
