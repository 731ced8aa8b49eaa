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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 14, the telemetry WebSocket: seeded malformed JSON, huge numbers, missing fields, deep nesting, oversized
 * and binary messages. What is JSON goes to the bus with a capture time that is absent or within the bounds, the
 * rest is refused with a reason (at most 16 replies per connection), and a healthy video stream loses no picture.
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
    void hostileTelemetryIsRefusedOrForwardedWithBoundedTimesWhileAHealthyStreamGoesOnUnharmed() throws Exception {
        try (Fuzz fuzz = new Fuzz("telemetry-websocket"); HealthyStream healthy = HealthyStream.start(relay, "fz-tele-healthy");
             Broker.Tap imu = Broker.get().tap(Exchanges.IMU_DATA)) {
            Footprint before = Footprint.measure();
            int openBefore = connections.listAll().size();
            HealthyStream.Mark mark = healthy.mark();

            int tried = 0;
            int forwarded = 0;
            for (int session = 0; tried < fuzz.inputs; session++) {
                try (WsClient sender = WsClient.connect("/ws/telemetry/fz-tele-" + session % 8)) {
                    for (int n = 100 + fuzz.random.nextInt(200); n > 0 && tried < fuzz.inputs; n--, tried++) {
                        if (fuzz.random.nextInt(20) == 0) {
                            sender.sendBinary(new byte[1 + fuzz.random.nextInt(64)]);
                        } else {
                            sender.sendText(input(fuzz.random));
                        }
                    }
                    forwarded += forwardedUntilEnd(imu, sender, session);
                    assertThat(sender.isOpen()).isTrue();
                    // the close handshake brings in every reply the server wrote before the end marker went out
                    sender.close();
                    int replies = 0;
                    for (String reply; (reply = sender.pollText(Duration.ZERO)) != null; replies++) {
                        assertThat(reply).startsWith("{\"type\":\"error\",\"message\":");
                        fuzz.answered("reply error: " + reply.replaceAll(".*\"message\":\"([a-z ]{1,20}).*", "$1"));
                    }
                    assertThat(replies).as("replies to one connection").isLessThanOrEqualTo(16);
                }
            }
            fuzz.answered("forwarded to the bus: " + forwarded);
            double healthyFps = healthy.fpsSince(mark);

            await().atMost(WITHIN).untilAsserted(() -> assertThat(connections.listAll()).hasSize(openBefore));
            Footprint after = Footprint.measure();
            fuzz.report(tried, healthyFps, before, after,
                    connections.listAll().size() + " WebSocket connections open after (the healthy publisher's)");

            assertThat(forwarded).as("valid samples forwarded").isGreaterThan(fuzz.inputs / 10);
            healthy.assertUnharmed();
            assertThat(after.heapBytes()).as("heap after GC").isLessThan(before.heapBytes() + (64L << 20));
            assertThat(fuzz.unhandled()).as("failures the server logged with an exception").isEmpty();
        }
    }

    /**
     * Sends a valid sample that marks the end of the session and counts the fuzz samples the bus carried before it,
     * each with its capture time checked. Messages of a connection are handled in order, so once the marker is on the
     * bus the server has handled, and replied to, all the session sent.
     */
    private static int forwardedUntilEnd(Broker.Tap imu, WsClient sender, int session) throws InterruptedException {
        sender.sendText("{\"end_of_session\":" + session + "}");
        int[] forwarded = {0};
        imu.poll(WITHIN, sample -> {
            if (sample.path("data").path("end_of_session").asInt(-1) == session) {
                return true;
            }
            if (sample.path("stream_id").asText().startsWith("fz-tele-")) {
                assertBoundedCaptureTime(sample);
                forwarded[0]++;
            }
            return false;
        });
        return forwarded[0];
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
