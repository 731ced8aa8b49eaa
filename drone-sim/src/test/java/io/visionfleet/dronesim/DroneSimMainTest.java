package io.visionfleet.dronesim;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.sim.publish.WsLink;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged Quarkus command: its help, a short run that streams without a broker or an HTTP port, and a run whose
 * credentials the server refuses.
 */
@QuarkusMainTest
@Tag("integration")
class DroneSimMainTest {
    @Test
    @Launch("--help")
    void helpListsTheOptions(LaunchResult result) {
        assertThat(result.getOutput()).contains("--server", "--stream", "--file", "--synthetic", "--fps", "--gop",
                "loop", "--duration", "--telemetry-hz", "--chunk", "--send-config");
    }

    @Test
    void aShortRunStreamsVideoAndTelemetryAndExitsCleanly(QuarkusMainLauncher launcher) throws Exception {
        try (RecordingWsServer server = RecordingWsServer.start(0)) {
            LaunchResult result = launcher.launch("--server", "ws://127.0.0.1:" + server.port(), "--stream", "quarkus",
                    "--width", "64", "--height", "64", "--clip-seconds", "1", "--duration", "3");

            assertThat(result.exitCode()).isZero();
            List<AccessUnit> pictures = AccessUnits.reassemble(server.binary("/ws/video/quarkus"));
            int samples = server.text("/ws/telemetry/quarkus").size();
            // how many fit in the 3 s is the machine's; that both streams flow is the command's
            System.out.printf("a 3 s run: %d pictures, %d telemetry samples%n", pictures.size(), samples);
            assertThat(pictures).isNotEmpty();
            assertThat(pictures.get(0).isIdr()).isTrue();
            assertThat(samples).isPositive();
        }
    }

    @Test
    // before, it retried forever; the deadline also covers the first launch's Quarkus start in this JVM, which took
    // 58 s on a loaded 2-core VM (the run itself gives up within seconds: three refusals, 0.5 s and 1 s apart)
    @Timeout(300)
    void refusedCredentialsEndTheRunWithTheSettingsToGive(QuarkusMainLauncher launcher) throws Exception {
        Vertx vertx = Vertx.vertx();
        AtomicInteger handshakes = new AtomicInteger();
        try {
            // refuses every WebSocket handshake as the ingest server does without publish credentials
            HttpServer server = vertx.createHttpServer()
                    .requestHandler(request -> {
                        handshakes.incrementAndGet();
                        request.response().setStatusCode(401).end();
                    })
                    .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            LaunchResult result = launcher.launch("--server", "ws://127.0.0.1:" + server.actualPort(), "--stream",
                    "refused", "--telemetry-hz", "0", "--width", "64", "--height", "64", "--clip-seconds", "1");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.getOutput() + result.getErrorOutput()).contains("refused the missing publish credentials "
                    + "(HTTP 401); give them with --user and --password, or FLEET_PUBLISH_USER and FLEET_PUBLISH_PASSWORD");
            assertThat(handshakes).hasValue(WsLink.MAX_REFUSALS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
