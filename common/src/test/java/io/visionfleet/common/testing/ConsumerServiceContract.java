package io.visionfleet.common.testing;

import io.restassured.http.ContentType;
import org.bytedeco.opencv.global.opencv_core;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.oneOf;

/**
 * What every consuming service serves, checked against the running service: extend it in a
 * {@code @QuarkusTest @WithTestResource(BrokerResource.class)} class. The service's test profile points its
 * consumer at a port where no relay listens, so the configured stream {@code drone} is followed and retried.
 */
public abstract class ConsumerServiceContract {
    /** True for services that decode (a {@code FrameConsumer}: shared processing threads, a load); false in packet mode. */
    protected boolean decodedMode() {
        return true;
    }

    @Test
    void decodedModeReportsItsLoadAndRunsOpenCvOnOneThreadPerCall() {
        if (!decodedMode()) {
            given().get("/q/metrics").then().statusCode(200).body(not(containsString("fleet_consumer_load ")));
            return;
        }
        given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'rtsp-streams' }.data.load", equalTo("0.00"))
                .body("checks.find { it.name == 'rtsp-streams' }.data.over_capacity", is(false));
        given().get("/q/metrics").then().statusCode(200).body(containsString("fleet_consumer_load 0.0"));
        assertThat(opencv_core.getNumThreads()).as("fleet.consumer.opencv-threads").isEqualTo(1);
    }
    @Test
    void readinessIsUpWithTheBrokerConnectedAndReportsTheStreamState() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", is("UP"))
                .body("checks.find { it.name == 'rabbitmq' }.status", is("UP"))
                .body("checks.find { it.name == 'rtsp-streams' }.status", is("UP"))
                .body("checks.find { it.name == 'rtsp-streams' }.data.enabled", is(true))
                .body("checks.find { it.name == 'rtsp-streams' }.data.'drone.state'", oneOf("connecting", "backoff"))
                .body("checks.find { it.name == 'rtsp-streams' }.data.'drone.last_frame_age_ms'", is(-1)));
    }

    @Test
    void aStreamThatCannotBeReachedIsRetriedAndTheReasonReported() {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'rtsp-streams' }.data.'drone.reconnects'", greaterThanOrEqualTo(1))
                .body("checks.find { it.name == 'rtsp-streams' }.data.'drone.last_error'", containsString("connect failed")));
    }

    @Test
    void livenessReportsTheConsumerThreads() {
        given().get("/q/health/live").then()
                .statusCode(200)
                .body("status", is("UP"))
                .body("checks.find { it.name == 'rtsp-consumer' }.status", is("UP"))
                .body("checks.find { it.name == 'rtsp-consumer' }.data.streams", greaterThanOrEqualTo(1));
    }

    @Test
    void prometheusMetricsCarryPerStreamConsumerState() {
        given().get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("fleet_consumer_connected{stream=\"drone\"} 0.0"))
                .body(containsString("fleet_consumer_frames_in_total{stream=\"drone\"} 0.0"))
                .body(containsString("fleet_consumer_reconnects_total{stream=\"drone\"}"))
                .body(containsString("fleet_consumer_frames_skipped_capacity_total{stream=\"drone\"} 0.0"))
                .body(containsString("fleet_consumer_last_frame_age_seconds{stream=\"drone\"} NaN"));
    }

    @Test
    void streamsEndpointListsFrameStats() {
        given().get("/streams").then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("stream_id", hasItem("drone"))
                .body("find { it.stream_id == 'drone' }.url", equalTo("rtsp://127.0.0.1:18599/drone"))
                .body("find { it.stream_id == 'drone' }.connected", is(false))
                .body("find { it.stream_id == 'drone' }.fps_in", notNullValue())
                .body("find { it.stream_id == 'drone' }.skipped_for_capacity", is(0))
                .body("find { it.stream_id == 'drone' }.processing_ms", is(0.0f))
                .body("find { it.stream_id == 'drone' }.load", decodedMode() ? is(0.0f) : nullValue());
    }
}
