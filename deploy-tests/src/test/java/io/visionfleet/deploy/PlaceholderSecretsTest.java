package io.visionfleet.deploy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every service's packaged application refuses to start with a placeholder secret ({@code change-me...}, which
 * everyone who read the repository knows): a fleet token, or a video user's password in ingest-server. Each exits
 * with an error naming the setting, never the value.
 */
@Tag("integration")
class PlaceholderSecretsTest {
    private static final Duration EXIT_WITHIN = Duration.ofMinutes(2);
    private static final int FIRST_PORT = 24380;

    @Test
    void noServiceStartsWithAPlaceholderSecret() throws Exception {
        Map<String, Map<String, String>> cases = new LinkedHashMap<>();
        for (String module : Repo.applications()) {
            if (!module.equals("drone-sim")) {
                cases.put(module + " with a placeholder fleet token", Map.of("fleet.api.token", "change-me-token"));
            }
        }
        cases.put("ingest-server with a placeholder video password", Map.of(
                "fleet.video-auth.credentials.reader.user", "reader",
                "fleet.video-auth.credentials.reader.password", "change-me-read",
                "fleet.video-auth.credentials.reader.actions", "read"));
        List<ServiceProcess> started = new ArrayList<>();
        try {
            int port = FIRST_PORT;
            for (Map.Entry<String, Map<String, String>> c : cases.entrySet()) { // all at once: each takes seconds to fail
                started.add(ServiceProcess.start(c.getKey().split(" ")[0], "placeholder-" + (port - FIRST_PORT), port++, c.getValue()));
            }
            int i = 0;
            for (Map.Entry<String, Map<String, String>> c : cases.entrySet()) {
                ServiceProcess service = started.get(i++);
                Integer exit = service.exitCode(EXIT_WITHIN);
                String log = service.log();
                assertThat(exit).as("%s exits: %s", c.getKey(), log).isNotNull().isNotZero();
                String setting = c.getValue().containsKey("fleet.api.token") ? "fleet.api.token (FLEET_API_TOKEN) is a placeholder"
                        : "fleet.video-auth.credentials.reader.password is a placeholder";
                assertThat(log).as(c.getKey()).contains(setting).doesNotContain("change-me-token").doesNotContain("change-me-read");
            }
        } finally {
            for (ServiceProcess service : started) {
                service.close();
            }
        }
    }
}
