package io.visionfleet.dronesim;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import io.visionfleet.common.h264.AccessUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged Quarkus command: its help, and a short run that streams without a broker or an HTTP port. */
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
}
