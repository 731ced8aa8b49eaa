package io.visionfleet.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.messages.FrameStats;
import io.visionfleet.common.messages.ProcessedFrame;
import io.visionfleet.common.messages.PtzCommand;
import io.visionfleet.common.messages.SlamResult;
import io.visionfleet.common.messages.TelemetrySample;
import io.visionfleet.common.testing.ArchiveQueues;
import io.visionfleet.common.testing.Broker;
import io.visionfleet.common.testing.Ffprobe;
import io.visionfleet.common.testing.RelayProcess;
import io.visionfleet.common.testing.ServiceProcess;
import io.visionfleet.storage.archive.SegmentInfo;
import io.visionfleet.storage.support.ArchiveFiles;
import io.visionfleet.storage.support.TestClips;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged storage-service killed with SIGKILL in the middle of a segment, against the real relay and broker:
 * the closed segments are intact, the open one plays up to its last complete fragment (a kill loses at most the
 * fragment being written, one GOP), results published while it is down are archived once it is back, and the
 * restarted service recovers the partial segment and records on.
 */
@Tag("integration")
class CrashRecoveryIT {
    private static final String STREAM = "st-crash";
    private static final Path ROOT = Path.of("target", "archive-crash");
    private static final String QUEUES = "storage-crash-it.";
    private static final int HTTP_PORT = 18285;

    private static RelayProcess relay;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void relay() {
        ArchiveFiles.deleteTree(ROOT);
        relay = RelayProcess.start(18284, 18684);
        relay.addFileSource(STREAM, TestClips.clip());
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (relay != null) {
            relay.close();
        }
        ArchiveQueues.delete(Broker.get(), QUEUES, STREAM);
    }

    @Test
    void aKillMidSegmentLosesAtMostTheFragmentBeingWrittenAndNothingPublishedMeanwhile() throws Exception {
        Map<String, String> config = Map.of(
                "fleet.consumer.relay-url", relay.rtspBase(),
                "fleet.consumer.streams", STREAM,
                "fleet.consumer.follow-stream-events", "false",
                "fleet.storage.root", ROOT.toString(),
                "fleet.storage.segment-length", "4s",
                "fleet.storage.snapshot-interval", "2s",
                "fleet.storage.retention.min-free", "1M",
                "fleet.storage.results.queue-prefix", QUEUES);
        try (ServiceProcess storage = ServiceProcess.start("storage-service", Path.of("target", "quarkus-app", "quarkus-run.jar"),
                HTTP_PORT, "256m", config)) {
            SegmentInfo open = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                List<SegmentInfo> segments = segments();
                boolean twoClosed = segments.stream().filter(s -> !s.open()).count() >= 2;
                SegmentInfo last = segments.isEmpty() ? null : segments.get(segments.size() - 1);
                return twoClosed && last.open() && System.currentTimeMillis() - last.startTs() >= 2500 ? last : null;
            }, s -> s != null);
            List<SegmentInfo> closedBefore = segments().stream().filter(s -> !s.open()).toList();
            FrameStats received = received();
            long killedAt = System.currentTimeMillis();
            storage.kill();

            for (SegmentInfo segment : closedBefore) {
                Ffprobe.Probe probe = Ffprobe.probe(ROOT.resolve(segment.path()));
                assertThat(probe.errors()).as("closed segment %s", segment.path()).isEmpty();
                assertThat(probe.decodedFrames()).isEqualTo(segment.frames());
            }
            Path partial = ROOT.resolve(open.path());
            assertThat(partial.getFileName().toString()).endsWith(".partial.mp4");
            Ffprobe.Probe partialProbe = Ffprobe.probe(partial);
            assertThat(partialProbe.decodedFrames()).as("the partial segment plays as the kill left it").isPositive();
            long recorded = closedBefore.stream().mapToLong(SegmentInfo::frames).sum() + partialProbe.decodedFrames();
            long lost = received.framesProcessed() - recorded;
            System.out.printf("kill mid-segment: %d frames received before it, %d playable after it (%d lost); the"
                    + " partial segment plays until %d ms of capture time before the kill%n", received.framesProcessed(),
                    recorded, lost, killedAt - open.startTs() - partialProbe.durationMs());
            // besides the fragment being written, a session skips what comes before its first key frame
            assertThat(lost).as("frames received before the kill that do not play after it")
                    .isLessThanOrEqualTo(TestClips.GOP + (received.reconnects() + 1) * (TestClips.GOP - 1));

            SegmentInfo first = closedBefore.get(0);
            long ts = first.startTs() + 200;
            publishResultsWhileDown(ts);

            storage.restart();

            SegmentInfo recovered = await().atMost(Duration.ofSeconds(30)).until(
                    () -> segments().stream().filter(s -> s.startTs() == open.startTs()).findFirst().orElseThrow(),
                    s -> !s.open());
            assertThat(recovered.closeReason()).isEqualTo(SegmentInfo.RECOVERED);
            Ffprobe.Probe recoveredProbe = Ffprobe.probe(ROOT.resolve(recovered.path()));
            assertThat(recoveredProbe.errors()).isEmpty();
            assertThat(recoveredProbe.startsOnKey()).isTrue();
            assertThat(recoveredProbe.decodedFrames()).isEqualTo(recovered.frames()).isGreaterThanOrEqualTo(partialProbe.decodedFrames());
            assertThat(Files.exists(partial)).isFalse();

            JsonNode sessions = get("/archive/streams/" + STREAM + "/sessions");
            assertThat(sessions.get(0).get("end_reason").asText()).isEqualTo("crashed");
            assertThat(sessions.get(0).get("end_ts").asLong()).isEqualTo(recovered.endTs());

            JsonNode archived = await().atMost(Duration.ofSeconds(15)).until(() -> get("/archive/streams/" + STREAM
                    + "/results?from=" + first.startTs() + "&to=" + first.endTs()), a -> a.get("count").asInt() == 4);
            assertThat(archived.get("results").findValues("capture_ts").stream().map(JsonNode::asLong)).containsOnly(ts);

            SegmentInfo resumed = await().atMost(Duration.ofSeconds(40)).until(() -> segments().stream()
                    .filter(s -> !s.open() && s.startTs() > recovered.startTs()).findFirst().orElse(null), s -> s != null);
            assertThat(resumed.sessionId()).isNotEqualTo(recovered.sessionId());
            assertThat(Ffprobe.probe(ROOT.resolve(resumed.path())).decodedFrames()).isEqualTo(resumed.frames());

            assertThat(storage.stop()).as("graceful stop").isTrue();
            assertThat(ArchiveFiles.find(ROOT, ".partial.mp4")).as("a graceful stop closes the open segment").isEmpty();
        }
    }

    private static void publishResultsWhileDown(long ts) throws Exception {
        try (Connection connection = Broker.get().connect(); Channel channel = connection.createChannel()) {
            publish(channel, Exchanges.PROCESSED_FRAMES, new ProcessedFrame(ProcessedFrame.SCHEMA, STREAM, 5, ts, 320, 240,
                    "cpu", List.of(), 1.0));
            publish(channel, Exchanges.SLAM_RESULTS, new SlamResult(SlamResult.SCHEMA, STREAM, 5, ts / 1000.0, ts,
                    new double[16], false, "lost", 0, 0, 2.0));
            publish(channel, Exchanges.PTZ_COMMANDS, new PtzCommand(PtzCommand.SCHEMA, "ptz1", STREAM, 5, ts, "stop",
                    "center", null, null, null, 0, 0, 1, null));
            publish(channel, Exchanges.IMU_DATA, TelemetrySample.of(STREAM, ts, ts, Json.MAPPER.readTree("{\"alt\":12}")));
        }
    }

    private static void publish(Channel channel, String exchange, Object message) throws Exception {
        channel.basicPublish(exchange, "", null, Json.MAPPER.writeValueAsBytes(message));
    }

    /** What the service's consumer handed to its recorder so far ({@code /streams}). */
    private FrameStats received() throws Exception {
        for (JsonNode stream : get("/streams")) {
            if (stream.path("stream_id").asText().equals(STREAM)) {
                return Json.MAPPER.treeToValue(stream, FrameStats.class);
            }
        }
        throw new AssertionError("storage-service does not follow " + STREAM);
    }

    private List<SegmentInfo> segments() throws Exception {
        JsonNode list = get("/archive/streams/" + STREAM + "/segments");
        List<SegmentInfo> segments = new ArrayList<>();
        if (list.has("segments")) {
            for (JsonNode node : list.get("segments")) {
                segments.add(Json.MAPPER.treeToValue(node, SegmentInfo.class));
            }
        }
        return segments;
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HTTP_PORT + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
        return Json.MAPPER.readTree(response.body());
    }
}
