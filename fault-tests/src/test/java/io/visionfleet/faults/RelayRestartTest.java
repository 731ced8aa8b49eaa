package io.visionfleet.faults;

import io.visionfleet.common.messages.FrameStats;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * The relay (ingest-server) killed and started again on the same ports while every consumer follows its stream:
 * each consumer reports frames flowing again on {@code /streams}, through its own reconnects alone (the fleet is
 * started without stream events). How long each took is printed; by design it is one back-off (at most 5 s) and a
 * connect, which the machine's load stretches.
 */
@Tag("integration")
class RelayRestartTest {
    @Test
    void everyConsumerResumesThroughItsOwnReconnects() throws IOException {
        Path archive = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "archive-relay-restart-");
        try (StreamingFleet fleet = new StreamingFleet(20920, archive)) {
            await().atMost(Duration.ofSeconds(60)).until(fleet::allStreaming);

            fleet.relay().kill();
            fleet.relay().restart();
            long readyAt = System.currentTimeMillis();

            Map<String, Long> resumeMs = new LinkedHashMap<>();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
                long now = System.currentTimeMillis();
                for (String consumer : StreamingFleet.CONSUMERS) {
                    FrameStats stats = fleet.stats(consumer);
                    long lastFrameAt = now - stats.lastFrameAgeMs();
                    if (!resumeMs.containsKey(consumer) && stats.lastFrameAgeMs() >= 0 && lastFrameAt > readyAt) {
                        resumeMs.put(consumer, lastFrameAt - readyAt);
                    }
                }
                return resumeMs.size() == StreamingFleet.CONSUMERS.size();
            });
            System.out.println("relay ready to first new frame, ms: " + resumeMs);
        }
    }
}
