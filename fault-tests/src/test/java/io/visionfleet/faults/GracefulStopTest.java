package io.visionfleet.faults;

import io.visionfleet.common.testing.Ffprobe;
import io.visionfleet.common.testing.ServiceProcess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM to every packaged service while the stream flows, as an orchestrator stops a container: each exits
 * within 5 s through its shutdown hooks (Quarkus logs its stop line, the JVM exits with 143), and storage-service
 * leaves its open segment closed and playable to the last frame it received.
 */
@Tag("integration")
class GracefulStopTest {
    private static final Duration BUDGET = Duration.ofSeconds(5);
    private static final int SIGTERM_EXIT = 143;
    /** Capture time from the SIGTERM back to the end of the last segment: delivery latency and one frame. */
    private static final long MAX_UNRECORDED_MS = 1000;

    @Test
    void everyServiceExitsWithinFiveSecondsWithItsWorkFlushed() throws Exception {
        Path root = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "archive-stop-");
        ArchiveOnDisk archive = new ArchiveOnDisk(root);
        try (StreamingFleet fleet = new StreamingFleet(18900, root)) {
            await().atMost(Duration.ofSeconds(60)).until(fleet::allStreaming);
            // storage in the middle of a segment that is not its first
            await().atMost(Duration.ofSeconds(30)).until(() -> archive.segments(StreamingFleet.STREAM).size() >= 2);

            List<String> figures = new ArrayList<>();
            for (String name : StreamingFleet.CONSUMERS) {
                long sentAt = System.currentTimeMillis();
                figures.add(stop(fleet.consumer(name), name));
                if (name.equals("storage-service")) {
                    assertRecordedUpTo(archive, sentAt);
                }
            }
            figures.add(stop(fleet.relay().process(), "ingest-server"));
            System.out.println("SIGTERM to exit: " + String.join(", ", figures));
        }
    }

    private static String stop(ServiceProcess service, String name) {
        Duration took = service.terminate();
        assertThat(took).as("%s: SIGTERM to exit", name).isLessThanOrEqualTo(BUDGET);
        assertThat(service.exitValue()).as("%s exit status", name).isEqualTo(SIGTERM_EXIT);
        assertThat(service.runLog()).as("%s ran its shutdown", name).containsPattern(name + " stopped in [0-9.]+s");
        return name + " " + took.toMillis() + " ms";
    }

    private static void assertRecordedUpTo(ArchiveOnDisk archive, long sigtermAt) throws Exception {
        assertThat(archive.files(".partial.mp4")).as("segments left open").isEmpty();
        List<ArchiveOnDisk.Segment> segments = archive.segments(StreamingFleet.STREAM);
        ArchiveOnDisk.Segment last = segments.get(segments.size() - 1);
        assertThat(last.state()).isEqualTo("closed");
        assertThat(last.closeReason()).isEqualTo("stopped");
        Ffprobe.Probe probe = Ffprobe.probe(last.file());
        assertThat(probe.errors()).as("ffprobe on %s", last.file()).isEmpty();
        assertThat(probe.decodedFrames()).as("pictures decoded = pictures recorded").isEqualTo(last.frames());
        assertThat(sigtermAt - last.endTs()).as("ms of stream before the SIGTERM not in the archive")
                .isLessThanOrEqualTo(MAX_UNRECORDED_MS);
    }
}
