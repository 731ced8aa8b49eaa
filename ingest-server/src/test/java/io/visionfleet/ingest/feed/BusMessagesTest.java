package io.visionfleet.ingest.feed;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.common.messages.StreamEvent;
import io.visionfleet.common.messages.TelemetrySample;
import io.visionfleet.common.testing.Broker;
import io.visionfleet.ingest.testing.ReferenceClip;
import io.visionfleet.ingest.testing.TestRelay;
import io.visionfleet.ingest.testing.WsClient;
import io.visionfleet.sim.publish.AnnexBSender;
import io.visionfleet.sim.scene.SyntheticVideo;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** What the ingest server puts on the real broker: telemetry samples and stream lifecycle events. */
@QuarkusTest
@Tag("integration")
class BusMessagesTest {
    private static final Duration WITHIN = Duration.ofSeconds(15);
    private static final AccessUnit FIRST_PICTURE = SyntheticVideo.accessUnits(SyntheticVideo.h264(64, 64, 30, 10, 2)).get(0);

    @Inject
    TestRelay relay;

    @Test
    void telemetryReachesTheImuExchangeWithStreamIdAndBothTimes() throws Exception {
        try (Broker.Tap imu = Broker.get().tap(Exchanges.IMU_DATA); WsClient telemetry = WsClient.connect("/ws/telemetry/tele1")) {
            long before = System.currentTimeMillis();
            long captured = before - 500;
            telemetry.sendText("{\"roll\":0.1,\"pitch\":-0.2,\"yaw\":1.5,\"timestamp\":" + captured / 1000.0 + "}");
            JsonNode sample = imu.poll(WITHIN, m -> "tele1".equals(m.path("stream_id").asText()));
            assertThat(sample.path("schema").asText()).isEqualTo(TelemetrySample.SCHEMA);
            assertThat(sample.path("received_ts").asLong()).isBetween(before, System.currentTimeMillis());
            assertThat(sample.path("capture_ts").asLong()).isEqualTo(captured);
            assertThat(sample.path("data").path("yaw").asDouble()).isEqualTo(1.5);

            telemetry.sendText("{\"roll\":");
            assertThat(telemetry.reply(WITHIN)).contains("\"type\":\"error\"").contains("invalid JSON");
            telemetry.sendText("[1,2,3]");
            assertThat(telemetry.reply(WITHIN)).contains("expected a JSON object");

            // the connection stayed up: the next sample goes through, without a sender timestamp
            telemetry.sendText("{\"roll\":0.3}");
            JsonNode next = imu.poll(WITHIN, m -> m.path("data").path("roll").asDouble() == 0.3);
            assertThat(next.path("stream_id").asText()).isEqualTo("tele1");
            assertThat(next.has("capture_ts")).isFalse();

            // a sender clock 2023 (or an hour ahead) is not believed: the sample goes on with its receive time only
            telemetry.sendText("{\"roll\":0.4,\"timestamp\":1700000000.5}");
            assertThat(telemetry.reply(WITHIN)).contains("timestamp 1700000000500 (epoch ms) is more than");
            JsonNode stale = imu.poll(WITHIN, m -> m.path("data").path("roll").asDouble() == 0.4);
            assertThat(stale.has("capture_ts")).isFalse();
        }
    }

    @Test
    void aPlayableStreamIsAnnouncedWithItsRtspUrlWhileOpenAndWhenClosed() throws Exception {
        try (Broker.Tap events = Broker.get().tap(Exchanges.STREAM_EVENTS)) {
            try (WsClient publisher = WsClient.connect("/ws/video/ev1")) {
                // one picture, announced with its length: the server relays it, and announces the stream, at once
                byte[] idr = ReferenceClip.annexB(FIRST_PICTURE);
                publisher.sendText(AnnexBSender.accessUnitJson(System.currentTimeMillis(), idr.length));
                publisher.sendBinary(idr);
                JsonNode started = events.poll(WITHIN, m -> StreamEvent.STARTED.equals(m.path("event").asText())
                        && "ev1".equals(m.path("stream_id").asText()));
                assertThat(started.path("rtsp_url").asText()).isEqualTo(relay.advertisedUrl("ev1"));
                assertThat(started.path("source").asText()).isEqualTo("websocket");
                // announced again while open (every second in tests), for services started after it began
                JsonNode active = events.poll(WITHIN, m -> StreamEvent.ACTIVE.equals(m.path("event").asText())
                        && "ev1".equals(m.path("stream_id").asText()));
                assertThat(active.path("rtsp_url").asText()).isEqualTo(relay.advertisedUrl("ev1"));
                assertThat(active.path("source").asText()).isEqualTo("websocket");
            }
            JsonNode stopped = events.poll(WITHIN, m -> StreamEvent.STOPPED.equals(m.path("event").asText())
                    && "ev1".equals(m.path("stream_id").asText()));
            assertThat(stopped.path("rtsp_url").asText()).isEqualTo(relay.advertisedUrl("ev1"));
            assertThat(stopped.path("schema").asText()).isEqualTo(StreamEvent.SCHEMA);
        }
    }
}
