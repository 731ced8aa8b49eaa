package io.visionfleet.deploy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A port that {@code ./fleet up} or {@code ./fleet compose up} would publish, held by another program: the command
 * stops before starting anything, with one line naming the port and the setting that moves the fleet off it.
 */
@Tag("integration")
class FleetPortsTest {
    private static final Duration WITHIN = Duration.ofMinutes(2);
    private static final String HOME = Path.of("target/ports-home").toAbsolutePath().toString();

    @Test
    void upNamesTheTakenPortAndTheSettingThatMovesIt() throws IOException {
        try (ServerSocket taken = listenOn(8082 + 21000)) {
            assertThatThrownBy(() -> CommandLine.run(WITHIN, Map.of("FLEET_HOME", HOME, "FLEET_PORT_OFFSET", "21000"),
                    "./fleet", "up"))
                    .hasMessageContaining("port 29082 (slam-service's HTTP port) is taken by another program; set FLEET_PORT_OFFSET");
        }
    }

    @Test
    void composeUpWithAGivenOffsetNamesTheTakenPort() throws IOException {
        // below Linux's ephemeral ports (32768 up), which a client connection may hold by chance
        try (ServerSocket taken = listenOn(15672 + 12000)) {
            assertThatThrownBy(() -> CommandLine.run(WITHIN, Map.of("FLEET_HOME", HOME, "FLEET_COMPOSE_PROJECT", "ports-test",
                    "FLEET_COMPOSE_PORT_OFFSET", "12000"), "./fleet", "compose", "up"))
                    .hasMessageContaining("port 27672 (RabbitMQ UI) is taken by another program; set FLEET_COMPOSE_PORT_OFFSET");
        }
    }

    /** Should a change let {@code up} past the check, what it started goes again. */
    @AfterAll
    static void down() {
        CommandLine.run(WITHIN, Map.of("FLEET_HOME", HOME, "FLEET_PORT_OFFSET", "21000"), "./fleet", "down");
    }

    private static ServerSocket listenOn(int port) throws IOException {
        return new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
    }
}
