package io.visionfleet.ingest.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.OpenConnections;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.testing.Broker;
import io.visionfleet.ingest.testing.TestRelay;
import io.visionfleet.ingest.testing.WsClient;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 14, the telemetry WebSocket: seeded malformed JSON, huge numbers, missing fields, deep nesting, oversized
 * and binary messages. What is JSON goes to the bus with a capture time that is absent or within the bounds, the
 * rest is refused with a reason (at most 16 replies per connection), and a healthy video stream keeps its frame rate.
 */
@QuarkusTest
@Tag("integration")
class TelemetrySocketFuzzTest {
    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final String[] FIXED = {"{}", "[]", "null", "1", "\"x\"", "{\"timestamp\":\"noon\"}", "{\"timestamp\":null}",
            "{\"timestamp\":1e400}", "{\"timestamp\":-1e308}", "{\"capture_ts\":123456789012345678901234567890}",
            "{\"timestamp\":0}", "{\"timestamp\":-1}", "{\"timestamp\":1700000000}", "{\"gps\":{}}", "{\"gps\":{\"lat\":1e999}}",
            "{\"roll\":" + "9".repeat(2000) + "}", "{\"roll\":NaN}", "{\"roll\":Infinity}", "{\"a\":\"\\ud800\"}",
            "[".repeat(3000), "{\"a\":" + "[".repeat(900) + "]".repeat(900) + "}"};

    @Inject
    TestRelay relay;
    @Inject
    OpenConnections connections;

    @Test
    void hostileTelemetryIsRefusedOrForwardedWithBoundedTimesWhileAHealthyStreamKeepsItsFrameRate() throws Exception {
        try (Fuzz fuzz = new Fuzz("telemetry-websocket"); HealthyStream healthy = HealthyStream.start(relay, "fz-tele-healthy");
             Broker.Tap imu = Broker.get().tap(Exchanges.IMU_DATA)) {
            double fpsBefore = healthy.measureFps(Duration.ofSeconds(3));
            Footprint before = Footprint.measure();
            int openBefore = connections.listAll().size();
            HealthyStream.Mark mark = healthy.mark();

            int tried = 0;
            for (int session = 0; tried < fuzz.inputs; session++) {
                try (WsClient sender = WsClient.connect("/ws/telemetry/fz-tele-" + session % 8)) {
                    for (int n = 100 + fuzz.random.nextInt(200); n > 0 && tried < fuzz.inputs; n--, tried++) {
                        if (fuzz.random.nextInt(20) == 0) {
                            sender.sendBinary(new byte[1 + fuzz.random.nextInt(64)]);
                        } else {
                            sender.sendText(input(fuzz.random));
                        }
                    }
                    int replies = 0;
                    for (String reply; (reply = sender.pollText(Duration.ofMillis(200))) != null; replies++) {
                        assertThat(reply).startsWith("{\"type\":\"error\",\"message\":");
                        fuzz.answered("reply error: " + reply.replaceAll(".*\"message\":\"([a-z ]{1,20}).*", "$1"));
                    }
                    assertThat(replies).as("replies to one connection").isLessThanOrEqualTo(16);
                    assertThat(sender.isOpen()).isTrue();
                }
            }
            AtomicInteger forwarded = new AtomicInteger();
            try (WsClient marker = WsClient.connect("/ws/telemetry/fz-tele-end")) {
                marker.sendText("{\"end\":" + fuzz.seed + "}");
                imu.poll(WITHIN, sample -> {
                    if (sample.path("stream_id").asText().startsWith("fz-tele-")) {
                        assertBoundedCaptureTime(sample);
                        forwarded.incrementAndGet();
                    }
                    return sample.path("data").path("end").asLong() == fuzz.seed;
                });
            }
            fuzz.answered("forwarded to the bus: " + forwarded.get());
            double fpsDuring = healthy.fpsSince(mark);

            await().atMost(WITHIN).untilAsserted(() -> assertThat(connections.listAll()).hasSize(openBefore));
            Footprint after = Footprint.measure();
            fuzz.report(tried, fpsBefore, fpsDuring, before, after,
                    connections.listAll().size() + " WebSocket connections open after (the healthy publisher's)");

            assertThat(forwarded.get()).as("valid samples forwarded").isGreaterThan(fuzz.inputs / 10);
            assertThat(healthy.failed()).isFalse();
            assertThat(fpsDuring).as("healthy stream's frame rate while fuzzing").isGreaterThan(0.9 * HealthyStream.FPS);
            assertThat(after.heapBytes()).as("heap after GC").isLessThan(before.heapBytes() + (64L << 20));
            assertThat(fuzz.unhandled()).as("failures the server logged with an exception").isEmpty();
        }
    }

    private static void assertBoundedCaptureTime(JsonNode sample) {
        long received = sample.path("received_ts").asLong();
        if (sample.has("capture_ts")) {
            assertThat(sample.get("capture_ts").asLong()).as("capture_ts of %s", sample)
                    .isBetween(received - 30_000, received + 2_000);
        }
    }

    private static String input(SplittableRandom random) {
        long now = System.currentTimeMillis();
        String valid = "{\"timestamp\":" + (now + random.nextLong(-40_000, 4_000)) + ",\"attitude\":{\"roll\":0.01,\"pitch\":-0.02,"
                + "\"yaw\":1.57},\"gyro\":[0.0,0.01,0.0],\"accel\":[0.02,-0.01,9.81],\"gps\":{\"lat\":48.1374,\"lon\":11.5755}}";
        return switch (random.nextInt(6)) {
            case 0 -> valid.substring(0, random.nextInt(valid.length())); // cut short
            case 1 -> {
                StringBuilder noise = new StringBuilder();
                for (int i = random.nextInt(200); i > 0; i--) {
                    noise.append((char) random.nextInt(0x3000));
                }
                yield noise.toString();
            }
            case 2 -> FIXED[random.nextInt(FIXED.length)];
            case 3 -> "{\"pad\":\"" + "x".repeat(63_000 + random.nextInt(8_000)) + "\"}";
            default -> valid;
        };
    }
}
