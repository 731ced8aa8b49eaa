import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.messages.FrameTiming;
import io.visionfleet.common.messages.ProcessedFrame;
import io.visionfleet.common.messages.SlamResult;
import io.visionfleet.common.rtsp.FfmpegRelayReference;
import io.visionfleet.sim.scene.GroundTruthScenes;
import io.visionfleet.sim.scene.SyntheticVideo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.visionfleet.common.rtsp.FfmpegRelayReference.percentile;

/**
 * Capture-to-result latency split by hop, for every service that publishes per-frame results with hop times
 * ({@code timing} of processed_frame and slam_result), next to FFmpeg reading the same relay in the same run.
 *
 * <pre>
 * java -cp CP HopLatency.java clip WIDTH HEIGHT OUT.mp4          # the panning ground-truth scene, 30 fps, looped by the relay
 * java -cp CP HopLatency.java measure RTSP_URL STREAM WARMUP_S SECONDS LABEL
 * </pre>
 *
 * Hops of a result, all on this machine's clock: capture ({@code capture_ts}, the relay's) → decoded (FFmpeg handed
 * the picture to the service) → engine start (taken from the latest-frame handoff) → engine done → on the bus
 * (handed to the publisher) → at a subscriber (this program's arrival time). The reference is FFmpeg through
 * JavaCV with its default decoder settings (as many frame threads as cores), reading the same stream over RTSP/TCP:
 * capture → decoded, with the capture time recovered from the relay's RTCP sender reports as every service does;
 * and FFmpeg's demuxer alone (packets, not decoded), which shows what the demuxer holds before any decoding.
 */
public class HopLatency {
    private static final String[] HOPS = {"capture → decoded", "decoded → engine start (handoff wait)",
            "engine start → engine done", "engine done → on the bus", "on the bus → at a subscriber",
            "capture → on the bus", "capture → at a subscriber"};

    public static void main(String[] args) throws Exception {
        if (args[0].equals("clip")) {
            int w = Integer.parseInt(args[1]);
            int h = Integer.parseInt(args[2]);
            var scene = GroundTruthScenes.panning(w, h);
            SyntheticVideo.mp4(Path.of(args[3]), w, h, 30, 30, scene.frames(), scene::render);
            return;
        }
        String url = args[1];
        String stream = args[2];
        long warmupMs = Long.parseLong(args[3]) * 1000;
        long runMs = Long.parseLong(args[4]) * 1000;
        String label = args[5];
        Map<String, Map<String, List<Long>>> byService = new LinkedHashMap<>();
        byService.put("frame-processor", hops());
        byService.put("slam-service", hops());
        AtomicBoolean measuring = new AtomicBoolean();
        FfmpegRelayReference reference = FfmpegRelayReference.decoding(url);
        FfmpegRelayReference demuxed = FfmpegRelayReference.demuxing(url);
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(System.getenv().getOrDefault("FLEET_RABBITMQ_HOST", "127.0.0.1"));
        try (Connection c = f.newConnection("hop-latency-bench"); Channel ch = c.createChannel()) {
            subscribe(ch, Exchanges.PROCESSED_FRAMES, body -> {
                ProcessedFrame r = Json.MAPPER.readValue(body, ProcessedFrame.class);
                return r.streamId().equals(stream) ? new Hop(r.captureTs(), r.timing()) : null;
            }, byService.get("frame-processor"), measuring);
            subscribe(ch, Exchanges.SLAM_RESULTS, body -> {
                SlamResult r = Json.MAPPER.readValue(body, SlamResult.class);
                return r.streamId().equals(stream) ? new Hop(r.captureTs(), r.timing()) : null;
            }, byService.get("slam-service"), measuring);
            Thread.sleep(warmupMs);
            measure(true, measuring, reference, demuxed);
            Thread.sleep(runMs);
            measure(false, measuring, reference, demuxed);
        }
        reference.close();
        demuxed.close();
        System.out.printf("%n%s, %d s after %d s of warm-up, load average %s%n%n", label, runMs / 1000, warmupMs / 1000,
                java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.println("| reader | hop | p50 ms | p95 ms | p99 ms | max ms | n |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        row(REFERENCE, "capture → decoded", reference.latencies());
        row("FFmpeg, packets only (reference)", "capture → demuxed, not decoded", demuxed.latencies());
        byService.forEach((service, hops) -> {
            if (!hops.get(HOPS[0]).isEmpty()) {
                hops.forEach((hop, values) -> row(service, hop, values));
            }
        });
    }

    /** FFmpeg reading the same relay with its defaults: as many frame threads as cores, the H.264 parser. */
    private static final String REFERENCE = "FFmpeg, defaults (reference)";

    private record Hop(long captureTs, FrameTiming timing) {
    }

    private interface Parser {
        Hop parse(byte[] body) throws Exception;
    }

    private static Map<String, List<Long>> hops() {
        Map<String, List<Long>> hops = new LinkedHashMap<>();
        for (String hop : HOPS) {
            hops.put(hop, Collections.synchronizedList(new ArrayList<>()));
        }
        return hops;
    }

    private static void subscribe(Channel ch, String exchange, Parser parser, Map<String, List<Long>> hops,
                                  AtomicBoolean measuring) throws Exception {
        String queue = ch.queueDeclare().getQueue();
        ch.queueBind(queue, exchange, "");
        ch.basicConsume(queue, true, (tag, d) -> {
            long arrived = System.currentTimeMillis();
            Hop hop;
            try {
                hop = parser.parse(d.getBody());
            } catch (Exception e) {
                throw new IllegalStateException("unreadable result on " + exchange, e);
            }
            if (hop == null || hop.timing() == null || !measuring.get()) {
                return;
            }
            FrameTiming t = hop.timing();
            long[] values = {t.decodedTs() - hop.captureTs(), t.startedTs() - t.decodedTs(),
                    t.engineTs() - t.startedTs(), t.publishedTs() - t.engineTs(), arrived - t.publishedTs(),
                    t.publishedTs() - hop.captureTs(), arrived - hop.captureTs()};
            for (int i = 0; i < HOPS.length; i++) {
                hops.get(HOPS[i]).add(values[i]);
            }
        }, tag -> { });
    }

    private static void measure(boolean on, AtomicBoolean measuring, FfmpegRelayReference... references) {
        measuring.set(on);
        for (FfmpegRelayReference r : references) {
            r.measuring(on);
        }
    }

    private static void row(String reader, String hop, List<Long> values) {
        List<Long> v = new ArrayList<>(values);
        Collections.sort(v);
        if (v.isEmpty()) {
            System.out.printf("| %s | %s | – | – | – | – | 0 |%n", reader, hop);
            return;
        }
        System.out.printf("| %s | %s | %d | %d | %d | %d | %d |%n", reader, hop, percentile(v, 0.50),
                percentile(v, 0.95), percentile(v, 0.99), v.get(v.size() - 1), v.size());
    }
}
