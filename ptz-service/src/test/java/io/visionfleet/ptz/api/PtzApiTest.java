package io.visionfleet.ptz.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.messages.ProcessedFrame;
import io.visionfleet.common.messages.PtzCommand;
import io.visionfleet.common.messages.TrackedObject;
import io.visionfleet.common.testing.Broker;
import io.visionfleet.common.testing.BrokerResource;
import io.visionfleet.ptz.service.PtzCameras;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

/**
 * The API and the bus of the running service with its default simulated camera {@code sim} (stream ptz-sim), against
 * the real broker: token checks, moves, modes, presets, bad input, commands and state on ptz_commands_exchange, and the
 * controller answering a processed frame from the bus.
 */
@QuarkusTest
@WithTestResource(BrokerResource.class)
@Tag("integration")
class PtzApiTest {
    private static final String TOKEN = "test-token";

    @Inject
    PtzCameras cameras;

    private Broker.Tap commands;

    @BeforeEach
    void tap() throws Exception {
        commands = Broker.get().tap(Exchanges.PTZ_COMMANDS);
    }

    @AfterEach
    void untap() throws Exception {
        commands.close();
        given().header("Authorization", "Bearer " + TOKEN).contentType("application/json").body("{\"mode\":\"auto\",\"policy\":\"follow\"}")
                .put("/ptz/sim/mode").then().statusCode(200);
    }

    @Test
    void camerasAndStatusAreOpenAndControlNeedsTheToken() {
        given().get("/ptz").then().statusCode(200).body("camera", hasItem("sim")).body("[0].stream", is("ptz-sim"));
        given().get("/ptz/sim/status").then().statusCode(200).body("mode", is("auto")).body("policy", is("follow"))
                .body("pan_deg", notNullValue()).body("zoom", notNullValue());
        given().get("/ptz/nope/status").then().statusCode(404).body("message", containsString("no PTZ camera 'nope'"));
        String move = "{\"pan_speed\":0.5,\"duration_ms\":300}";
        given().contentType("application/json").body(move).post("/ptz/sim/move").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer").body("status", is(401)).body("message", containsString("missing credential"));
        given().header("Authorization", "Bearer nope").contentType("application/json").body(move).post("/ptz/sim/move")
                .then().statusCode(401).body("message", is("wrong token"));
        given().header("Authorization", "Bearer " + TOKEN).contentType("application/json").body("{}").put("/ptz/sim/mode").then().statusCode(200);
    }

    @Test
    void aManualMoveTurnsTheCameraHoldsAutomaticControlAndIsPublished() throws Exception {
        // automatic control stays off for the whole test (the hold's own timing is PoliciesOnMotorsTest's): with only
        // the 2 s hold, a loaded machine's slow status polls missed the window before it sent the camera home
        given().header("Authorization", "Bearer " + TOKEN).contentType("application/json").body("{\"mode\":\"manual\"}")
                .put("/ptz/sim/mode").then().statusCode(200);
        double before = given().get("/ptz/sim/status").then().extract().jsonPath().getDouble("pan_deg");
        given().header("Authorization", "Bearer " + TOKEN).contentType("application/json")
                .body("{\"pan_speed\":0.5,\"duration_ms\":300}").post("/ptz/sim/move").then().statusCode(200)
                .body("manual_until_ms", greaterThan(0L));
        JsonNode sent = commands.poll(Duration.ofSeconds(5), m -> "move_relative".equals(m.path("command").asText()));
        assertThat(sent).isNotNull();
        assertThat(sent.get("camera_id").asText()).isEqualTo("sim");
        assertThat(sent.get("pan_speed").asDouble()).isEqualTo(0.5);
        assertThat(sent.get("issued_ts").asLong()).isGreaterThan(0);
        // 0.3 s at half of 60 deg/s, after the simulated latency
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(
                given().get("/ptz/sim/status").then().extract().jsonPath().getDouble("pan_deg")).isCloseTo(before + 9,
                org.assertj.core.data.Offset.offset(0.5)));

        given().header("Authorization", "Bearer " + TOKEN).contentType("application/json").body("{\"pan_deg\":10,\"tilt_deg\":5,\"zoom\":2}")
                .post("/ptz/sim/move").then().statusCode(200);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().get("/ptz/sim/status").then()
                .body("pan_deg", is(10.0f)).body("tilt_deg", is(5.0f)).body("moving", is(false)));
        given().header("Authorization", "Bearer " + TOKEN).post("/ptz/sim/presets/1").then().statusCode(200);
        assertThat(commands.poll(Duration.ofSeconds(5), m -> "go_preset".equals(m.path("command").asText()))).isNotNull();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().get("/ptz/sim/status").then()
                .body("pan_deg", is(-45.0f)).body("zoom", is(1.0f)));
    }

    @Test
    void badRequestsAreRefusedWithTheReason() {
        given().header("Authorization", "Bearer " + TOKEN).contentType("application/json").body("{\"policy\":\"chase\"}")
                .put("/ptz/sim/mode").then().statusCode(400).body("message", containsString("policy must be one of follow, center_group, handoff"));
        given().header("Authorization", "Bearer " + TOKEN).contentType("application/json").body("{\"pan_speed\":3}")
                .post("/ptz/sim/move").then().statusCode(400).body("message", containsString("pan_speed must be in [-1, 1]"));
        given().header("Authorization", "Bearer " + TOKEN).contentType("application/json").body("{\"pan_speed\":0.1,\"pan_deg\":3}")
                .post("/ptz/sim/move").then().statusCode(400).body("message", containsString("either speeds"));
        given().header("Authorization", "Bearer " + TOKEN).contentType("application/json").body("{\"pan_speed\":")
                .post("/ptz/sim/move").then().statusCode(400).body("message", containsString("invalid JSON body"));
        given().header("Authorization", "Bearer " + TOKEN).post("/ptz/sim/presets/9").then().statusCode(400)
                .body("message", containsString("preset 9 is not set"));
        given().header("Authorization", "Bearer " + TOKEN).put("/ptz/sim/presets/99").then().statusCode(400)
                .body("message", containsString("1..16"));
        given().get("/ptz/sim/status").then().statusCode(200);
    }

    @Test
    void aProcessedFrameFromTheBusTurnsTheCameraTowardsItsTargetAndStateIsReported() throws Exception {
        assertThat(commands.poll(Duration.ofSeconds(5), m -> "state".equals(m.path("command").asText()))).isNotNull();
        // garbage first: it is dropped and the next frame still counts
        // published as frame-processor does, with the stream id as routing key: the service binds its cameras' streams
        commands.publishRaw(Exchanges.PROCESSED_FRAMES, "ptz-sim", "{not json".getBytes());
        long ts = System.currentTimeMillis();
        ProcessedFrame frame = new ProcessedFrame(ProcessedFrame.SCHEMA, "ptz-sim", 42, ts, 640, 360, "motion",
                List.of(new TrackedObject(7, "object", 0.9, new int[]{560, 60, 40, 80}, 3200, null, null)), 10);
        commands.publishRaw(Exchanges.PROCESSED_FRAMES, "ptz-sim", Json.MAPPER.writeValueAsBytes(frame));
        JsonNode move = commands.poll(Duration.ofSeconds(5), m -> m.path("frame_number").asLong() == 42);
        assertThat(move).isNotNull();
        PtzCommand command = Json.MAPPER.treeToValue(move, PtzCommand.class);
        assertThat(command.command()).isEqualTo("move_relative");
        assertThat(command.panSpeed()).as("target right of centre").isGreaterThan(0);
        assertThat(command.tiltSpeed()).as("target above centre").isGreaterThan(0);
        assertThat(command.targetId()).isEqualTo(7);
        assertThat(command.captureTs()).isEqualTo(ts);
        assertThat(command.issuedTs()).isGreaterThanOrEqualTo(ts);
        given().get("/ptz/sim/status").then().body("target_id", is(7));
    }
}
