package io.visionfleet.frameprocessor.sam2;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.testing.Broker;
import io.visionfleet.common.testing.FleetToken;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.visionfleet.frameprocessor.sam2.Sam2RelayResource.HEIGHT;
import static io.visionfleet.frameprocessor.sam2.Sam2RelayResource.STREAM;
import static io.visionfleet.frameprocessor.sam2.Sam2RelayResource.WIDTH;
import static io.visionfleet.frameprocessor.support.TruthMasks.maskOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * The service with {@code engine=sam2} against the real relay and broker: readiness names the loaded export, moving
 * actors seeded by the motion strategy are tracked by SAM2 memory under stable ids with masks in every message,
 * and a removal over REST ends an object.
 */
@QuarkusTest
@WithTestResource(Sam2RelayResource.class)
@Tag("integration")
class Sam2EndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void seededObjectsAreTrackedUnderStableIdsWithMasksAndCanBeRemoved() throws Exception {
        given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'engine' }.status", is("UP"))
                .body("checks.find { it.name == 'engine' }.data.engine", is("sam2"))
                .body("checks.find { it.name == 'engine' }.data.detail", containsString("tiny-fp32"));
        try (Broker.Tap results = Broker.get().tap(Exchanges.PROCESSED_FRAMES)) {
            Map<Long, Integer> framesOfId = new HashMap<>();
            for (int n = 0; n < 150; n++) {
                JsonNode frame = results.poll(WAIT, m -> STREAM.equals(m.path("stream_id").asText()));
                assertThat(frame.path("engine").asText()).isEqualTo("sam2");
                assertThat(frame.path("stage_ms").has("sam2.encoder")).isTrue();
                for (JsonNode o : frame.path("objects")) {
                    byte[] mask = maskOf(o);
                    assertThat(mask).hasSize(WIDTH * HEIGHT);
                    int area = 0;
                    for (byte b : mask) {
                        area += b;
                    }
                    assertThat(area).as("published mask of object %s", o.path("id")).isPositive();
                    assertThat(o.path("area").asInt()).isPositive();
                    framesOfId.merge(o.path("id").asLong(), 1, Integer::sum);
                }
            }
            assertThat(framesOfId.values()).as("objects followed over many frames under one id: %s", framesOfId)
                    .anyMatch(frames -> frames >= 30);
            long id = framesOfId.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            JsonNode live = results.poll(WAIT, m -> STREAM.equals(m.path("stream_id").asText()) && has(m, id));
            assertThat(live).isNotNull();
            given().auth().oauth2(FleetToken.TEST).delete("/streams/" + STREAM + "/objects/" + id).then().statusCode(200).body("result", is("removed"));
            results.poll(WAIT, m -> STREAM.equals(m.path("stream_id").asText()) && removed(m, id));
        }
    }

    private static boolean has(JsonNode frame, long id) {
        for (JsonNode o : frame.path("objects")) {
            if (o.path("id").asLong() == id) {
                return true;
            }
        }
        return false;
    }

    private static boolean removed(JsonNode frame, long id) {
        for (JsonNode e : frame.path("events")) {
            if (e.path("object_id").asLong() == id && "removed".equals(e.path("event").asText())) {
                return true;
            }
        }
        return false;
    }
}
