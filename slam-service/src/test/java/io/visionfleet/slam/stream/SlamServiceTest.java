package io.visionfleet.slam.stream;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.testing.Broker;
import io.visionfleet.common.testing.BrokerResource;
import io.visionfleet.common.testing.ConsumerServiceContract;
import io.visionfleet.common.testing.FleetToken;
import io.visionfleet.slam.imu.ImuFollower;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * slam-service serves health with real checks, metrics and stream status (see {@link ConsumerServiceContract}),
 * takes IMU samples from the real broker, and answers for streams it has no results of with a 404 that says so.
 */
@QuarkusTest
@WithTestResource(BrokerResource.class)
@Tag("integration")
class SlamServiceTest extends ConsumerServiceContract {
    @Inject
    ImuFollower imu;

    @Test
    void imuSamplesFromTheBusAreTakenAndGarbageIsIgnored() throws Exception {
        try (Broker.Tap tap = Broker.get().tap(Exchanges.IMU_DATA)) {
            long before = imu.samples();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                tap.publishRaw(Exchanges.IMU_DATA, "drone", "not json".getBytes(StandardCharsets.UTF_8));
                tap.publishRaw(Exchanges.IMU_DATA, "drone", ("{\"schema\":\"telemetry/1\",\"stream_id\":\"drone\",\"received_ts\":1000,"
                        + "\"data\":{\"gps\":{\"lat\":1,\"lon\":2}}}").getBytes(StandardCharsets.UTF_8));
                tap.publishRaw(Exchanges.IMU_DATA, "drone", ("{\"schema\":\"telemetry/1\",\"stream_id\":\"drone\",\"received_ts\":"
                        + System.currentTimeMillis() + ",\"data\":{\"gyro\":{\"x\":0,\"y\":0.1,\"z\":0},"
                        + "\"accel\":{\"x\":0,\"y\":0,\"z\":-9.8}}}").getBytes(StandardCharsets.UTF_8));
                return imu.samples() > before;
            });
        }
    }

    @Test
    void streamsWithoutResultsAre404s() {
        given().get("/streams/drone/trajectory").then().statusCode(404)
                .body("status", is(404)).body("message", containsString("'drone'"));
        given().get("/streams/drone/map.ply").then().statusCode(404);
        given().get("/streams/drone/slam").then().statusCode(404);
    }

    @Test
    void requestsRefusedBeforeAResourceRunsGetTheFleetErrorBody() {
        given().auth().oauth2(FleetToken.TEST).post("/streams/drone/slam").then().statusCode(405)
                .body("status", is(405)).body("message", containsString("Method Not Allowed"));
    }
}
