package io.visionfleet.ingest.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.testing.Broker;
import io.visionfleet.ingest.testing.WsClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code /ws/results/{stream}} against the real broker: parts of one frame joined by capture_ts, late viewers, garbage. */
@QuarkusTest
@Tag("integration")
class ResultsSocketTest {
    private static final Duration WITHIN = Duration.ofSeconds(15);

    @Test
    void partsOfOneFrameShareTheJoinKeyAndALateViewerGetsThemJoined() throws Exception {
        String stream = "join" + System.nanoTime() % 100_000;
        long ts = System.currentTimeMillis();
        try (Broker.Tap tap = Broker.get().tap(Exchanges.PROCESSED_FRAMES);
             WsClient early = WsClient.connect("/ws/results/" + stream)) {
            assertThat(Json.MAPPER.readTree(early.pollText(Duration.ofSeconds(10))).path("type").asText()).isEqualTo("hello");
            // the hub binds its queue when the application starts; publish until the first part comes through
            JsonNode frame = await().atMost(WITHIN).pollInterval(Duration.ofMillis(300)).until(() -> {
                publish(tap, Exchanges.PROCESSED_FRAMES, "{\"schema\":\"processed_frame/2\",\"stream_id\":\"" + stream
                        + "\",\"frame_number\":1,\"capture_ts\":" + ts + ",\"width\":64,\"height\":48,\"objects\":"
                        + "[{\"id\":7,\"label\":\"object\",\"score\":0.9,\"bbox\":[1,2,3,4]}]}");
                String text = early.pollText(Duration.ofMillis(200));
                return text == null ? null : Json.MAPPER.readTree(text);
            }, node -> node != null);
            assertThat(frame.path("type").asText()).isEqualTo("result");
            assertThat(frame.path("capture_ts").asLong()).isEqualTo(ts);
            assertThat(frame.path("parts").path("processed_frame").path("objects").get(0).path("id").asInt()).isEqualTo(7);

            publish(tap, Exchanges.PROCESSED_FRAMES, "not json at all");
            publish(tap, Exchanges.SLAM_RESULTS, "{\"stream_id\":\"" + stream + "\"}"); // no capture_ts
            publish(tap, Exchanges.SLAM_RESULTS, "{\"schema\":\"slam_result/1\",\"stream_id\":\"" + stream
                    + "\",\"frame_number\":3,\"capture_ts\":" + ts + ",\"tracking_state\":\"tracking\",\"pose\":"
                    + "[1,0,0,0.5,0,1,0,0,0,0,1,2,0,0,0,1],\"is_keyframe\":true}");
            JsonNode slam = next(early);
            assertThat(slam.path("capture_ts").asLong()).as("same join key").isEqualTo(ts);
            assertThat(slam.path("parts").path("slam_result").path("tracking_state").asText()).isEqualTo("tracking");

            publish(tap, Exchanges.RECORDINGS, "{\"schema\":\"recording_closed/1\",\"stream_id\":\"" + stream
                    + "\",\"path\":\"x.mp4\",\"start_ts\":1,\"end_ts\":2}");
            JsonNode event = next(early);
            assertThat(event.path("type").asText()).isEqualTo("event");
            assertThat(event.path("kind").asText()).isEqualTo("recording_closed");

            try (WsClient late = WsClient.connect("/ws/results/" + stream)) {
                assertThat(next(late).path("backlog").asInt()).isEqualTo(1);
                JsonNode joined = next(late);
                assertThat(joined.path("capture_ts").asLong()).isEqualTo(ts);
                assertThat(joined.path("parts").has("processed_frame")).isTrue();
                assertThat(joined.path("parts").has("slam_result")).isTrue();
            }
        }
    }

    @Test
    void anInvalidStreamIdIsRefusedWithPolicyViolation() throws Exception {
        try (WsClient viewer = WsClient.connect("/ws/results/bad%20id")) {
            assertThat(viewer.closeCode(Duration.ofSeconds(10))).isEqualTo(1008);
        }
    }

    private static JsonNode next(WsClient viewer) throws Exception {
        String text = viewer.pollText(Duration.ofSeconds(10));
        assertThat(text).as("a message within 10 s").isNotNull();
        return Json.MAPPER.readTree(text);
    }

    private static void publish(Broker.Tap tap, String exchange, String body) throws Exception {
        tap.publishRaw(exchange, body.getBytes(StandardCharsets.UTF_8));
    }
}
