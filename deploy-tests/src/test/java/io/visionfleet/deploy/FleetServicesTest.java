package io.visionfleet.deploy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code FLEET_SERVICES} picks the services {@code ./fleet} runs; a name it does not know is refused before anything starts. */
@Tag("integration")
class FleetServicesTest {
    private static LocalFleet fleet(String services) {
        return new LocalFleet("services-test", 16720, 24805, Path.of("target", "fleet-services"),
                Map.of("FLEET_SERVICES", services));
    }

    /** A script that ignored the setting would have started a whole fleet. */
    @AfterAll
    static void nothingLeftRunning() throws Exception {
        fleet("frame-processor").downAndCheck();
    }

    @Test
    void statusListsOnlyTheServicesNamed() throws Exception {
        LocalFleet.Result status = fleet("frame-processor").fleet(Duration.ofSeconds(60), "status");
        for (String app : new String[]{"ingest-server", "frame-processor", "drone-sim"}) {
            assertThat(status.output()).containsPattern("(?m)^" + app + " +stopped");
        }
        for (String app : new String[]{"slam-service", "storage-service", "ptz-service"}) {
            assertThat(status.output()).doesNotContainPattern("(?m)^" + app + " ");
        }
        assertThat(status.exit()).as("nothing runs: not every service is ready").isEqualTo(1);
    }

    @Test
    void anUnknownServiceIsRefused() throws Exception {
        LocalFleet.Result up = fleet("frame-processor slam").fleet(Duration.ofSeconds(60), "up");
        assertThat(up.exit()).isEqualTo(2);
        assertThat(up.output()).contains("FLEET_SERVICES: no service 'slam'");
    }
}
