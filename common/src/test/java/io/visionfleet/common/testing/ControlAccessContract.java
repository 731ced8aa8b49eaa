package io.visionfleet.common.testing;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

/**
 * The fleet token on a running service (docs/security.md): every control endpoint answers 401 with the fleet's error
 * body to a request without the token and to one with a wrong token, and does its work for the right one; reads,
 * health and metrics stay open; readiness reports the guard; and neither token appears in the service's log while
 * this happens. Extend it in the service's {@code @QuarkusTest} class and list its control endpoints, in an order in
 * which each succeeds.
 */
public abstract class ControlAccessContract {
    /** A wrong token that must never be logged either. */
    static final String WRONG = "wrong-token-4d1f";

    /** One control endpoint: {@code method path} with {@code body} (or null), answered {@code success} when authorised. */
    public record ControlCall(String method, String path, String body, int success) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    public static ControlCall call(String method, String path, String body, int success) {
        return new ControlCall(method, path, body, success);
    }

    /** Every control endpoint of the service, in an order in which each answers {@code success} with the token. */
    protected abstract List<ControlCall> controlCalls();

    /** Reads that answer 200 without a token. */
    protected List<String> openReads() {
        return List.of("/q/health/live", "/q/metrics");
    }

    @Test
    void everyControlEndpointNeedsTheFleetToken() {
        List<String> logged = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                String text = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
                synchronized (logged) {
                    logged.add(record.getLoggerName() + " " + text + " " + Arrays.toString(record.getParameters())
                            + (record.getThrown() == null ? "" : " " + record.getThrown()));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            for (ControlCall call : controlCalls()) {
                Response missing = send(given(), call);
                assertThat(missing.statusCode()).as("%s without a token: %s", call, missing.asString()).isEqualTo(401);
                assertThat(missing.header("WWW-Authenticate")).as("%s", call).isEqualTo("Bearer");
                assertThat(missing.jsonPath().getInt("status")).isEqualTo(401);
                assertThat(missing.jsonPath().getString("message")).as("%s", call).startsWith("missing credential");

                Response wrong = send(given().header("Authorization", "Bearer " + WRONG), call);
                assertThat(wrong.statusCode()).as("%s with a wrong token: %s", call, wrong.asString()).isEqualTo(401);
                assertThat(wrong.jsonPath().getString("message")).as("%s", call).isEqualTo("wrong token");

                Response right = send(given().header("Authorization", FleetToken.BEARER), call);
                assertThat(right.statusCode()).as("%s with the token: %s", call, right.asString()).isEqualTo(call.success());
            }
        } finally {
            root.removeHandler(capture);
        }
        synchronized (logged) {
            assertThat(logged).as("what the service logged meanwhile").noneMatch(line -> line.contains(FleetToken.TEST))
                    .noneMatch(line -> line.contains(WRONG));
            assertThat(logged).as("refusals are logged, without the tokens").anyMatch(line -> line.contains("wrong token"));
        }
    }

    @Test
    void readsStayOpenAndReadinessReportsTheGuard() {
        for (String read : openReads()) {
            given().get(read).then().statusCode(200);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'api-access' }.status", is("UP"))
                .body("checks.find { it.name == 'api-access' }.data.control", is("fleet token required"))
                .body("checks.find { it.name == 'api-access' }.data.reads", is("open")));
        String health = given().get("/q/health/ready").asString();
        assertThat(health).doesNotContain(FleetToken.TEST);
    }

    @Test
    void aTokenInTheQueryIsNoCredentialForControl() {
        ControlCall call = controlCalls().get(0);
        Response response = send(given().queryParam("token", FleetToken.TEST), call);
        assertThat(response.statusCode()).as("%s with ?token=", call).isEqualTo(401);
    }

    private static Response send(RequestSpecification request, ControlCall call) {
        if (call.body() != null) {
            request = request.contentType("application/json").body(call.body());
        }
        return request.request(call.method(), call.path());
    }
}
