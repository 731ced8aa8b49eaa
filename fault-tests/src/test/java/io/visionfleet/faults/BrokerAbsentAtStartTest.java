package io.visionfleet.faults;

import io.visionfleet.common.testing.Broker;
import io.visionfleet.common.testing.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every service starts while the broker is away: it is live, reports not ready with the reason in its readiness
 * check, and becomes ready by itself once the broker is back.
 */
@Tag("integration")
class BrokerAbsentAtStartTest {
    private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000);
    private static final Duration READY_DEADLINE = Duration.ofSeconds(30);
    private static final List<ServiceProcess> started = new ArrayList<>();

    @AfterAll
    static void stopServices() {
        BrokerControl.startApp(); // whatever happened, leave the broker running
        started.forEach(ServiceProcess::close);
    }

    @Test
    void servicesStartWithoutTheBrokerAndBecomeReadyWhenItAppears() throws Exception {
        BrokerControl.assumeControllable();
        Path work = Files.createDirectories(Path.of("target", "broker-absent-" + RUN)).toAbsolutePath();
        List<ServiceProbe> services = new ArrayList<>();
        long startedAt;
        try {
            BrokerControl.stopApp();
            // nothing listens on port 1: the consumers follow their default stream without ever reaching a relay
            Map<String, String> noStreams = Map.of("fleet.consumer.relay-url", "rtsp://127.0.0.1:1/",
                    "fleet.rabbitmq.recovery-seconds", "1");
            services.add(start("ingest-server", 20421, Map.of("fleet.relay.port", "20821", "fleet.rabbitmq.recovery-seconds", "1")));
            services.add(start("frame-processor", 20422, noStreams));
            services.add(start("slam-service", 20423, with(noStreams, "fleet.slam.output-dir", work.resolve("slam").toString())));
            services.add(start("storage-service", 20424, with(noStreams, "fleet.storage.root", work.resolve("archive").toString(),
                    "fleet.storage.results.queue-prefix", "faults" + RUN + ".")));
            services.add(start("ptz-service", 20425, noStreams));
            for (ServiceProbe service : services) {
                ServiceProbe.Readiness readiness = service.readiness();
                System.out.printf("%s without the broker: %d %s%n", service.name(), readiness.status(), readiness.check("rabbitmq"));
                assertThat(readiness.ready()).as("%s ready without the broker", service.name()).isFalse();
                assertThat(readiness.check("rabbitmq").path("status").asText()).as(service.name()).isEqualTo("DOWN");
                assertThat(readiness.check("rabbitmq").path("data").path("reason").asText()).as(service.name())
                        .contains("cannot connect to RabbitMQ at 127.0.0.1:" + Broker.get().port()).containsIgnoringCase("refused");
            }
        } finally {
            BrokerControl.startApp();
            startedAt = System.currentTimeMillis();
        }
        Map<String, Long> readyAfterMs = new LinkedHashMap<>();
        for (ServiceProbe service : services) {
            await().atMost(READY_DEADLINE).pollInterval(Duration.ofMillis(100)).until(service::ready);
            readyAfterMs.put(service.name(), System.currentTimeMillis() - startedAt);
        }
        System.out.printf("ready after start_app (ms): %s%n", readyAfterMs);
        ServiceProbe storage = services.get(3);
        assertThat(storage.readiness().check("archive").path("data").path("results_subscribed").asBoolean())
                .as("storage consumes its result queues").isTrue();
    }

    private static ServiceProbe start(String module, int port, Map<String, String> config) {
        ServiceProcess process = ServiceProcess.start(module, ServiceProcess.siblingJar(module, "fleet.test." + module + "-jar"),
                port, "512m", config);
        started.add(process);
        return new ServiceProbe(module, process.baseUri());
    }

    private static Map<String, String> with(Map<String, String> config, String... keyValues) {
        Map<String, String> all = new LinkedHashMap<>(config);
        for (int i = 0; i < keyValues.length; i += 2) {
            all.put(keyValues[i], keyValues[i + 1]);
        }
        return all;
    }
}
