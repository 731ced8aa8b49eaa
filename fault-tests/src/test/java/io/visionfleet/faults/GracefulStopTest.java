package io.visionfleet.faults;

import io.visionfleet.common.messages.FrameStats;
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
 * SIGTERM to every packaged service while the stream flows, as an orchestrator stops a container: each exits through
 * its shutdown hooks (Quarkus logs its stop line, the JVM exits with 143), and storage-service leaves its open segment
 * closed and playable, holding every frame it had received. How long each took is printed: the 5 s a container gets
 * is a figure of the machine's load, not of the code.
 */
@Tag("integration")
class GracefulStopTest {
    private static final int SIGTERM_EXIT = 143;

    @Test
    void everyServiceExitsThroughItsShutdownWithItsWorkFlushed() throws Exception {
        Path root = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "archive-stop-");
        ArchiveOnDisk archive = new ArchiveOnDisk(root);
        try (StreamingFleet fleet = new StreamingFleet(20900, root)) {
            await().atMost(Duration.ofSeconds(60)).until(fleet::allStreaming);
            // storage in the middle of a segment that is not its first
            await().atMost(Duration.ofSeconds(30)).until(() -> archive.segments(StreamingFleet.STREAM).size() >= 2);

            List<String> figures = new ArrayList<>();
            for (String name : StreamingFleet.CONSUMERS) {
                if (name.equals("storage-service")) {
                    FrameStats received = fleet.stats(name);
                    long sigtermAt = System.currentTimeMillis();
                    figures.add(stop(fleet.consumer(name), name));
                    assertRecorded(archive, received, sigtermAt);
                } else {
                    figures.add(stop(fleet.consumer(name), name));
                }
            }
            figures.add(stop(fleet.relay().process(), "ingest-server"));
            System.out.println("SIGTERM to exit: " + String.join(", ", figures));
        }
    }

    private static String stop(ServiceProcess service, String name) {
        Duration took = service.terminate();
        assertThat(service.exitValue()).as("%s exit status", name).isEqualTo(SIGTERM_EXIT);
        assertThat(service.runLog()).as("%s ran its shutdown", name).containsPattern(name + " stopped in [0-9.]+s");
        return name + " " + took.toMillis() + " ms";
    }

    /**
     * Every frame storage had handed to its recorder before the SIGTERM ({@code received}) is in a closed, playable
     * segment, except those a session skips before its first key frame.
     */
    private static void assertRecorded(ArchiveOnDisk archive, FrameStats received, long sigtermAt) throws Exception {
        assertThat(archive.files(".partial.mp4")).as("segments left open").isEmpty();
        List<ArchiveOnDisk.Segment> segments = archive.segments(StreamingFleet.STREAM);
        ArchiveOnDisk.Segment last = segments.get(segments.size() - 1);
        assertThat(last.state()).isEqualTo("closed");
        assertThat(last.closeReason()).isEqualTo("stopped");
        Ffprobe.Probe probe = Ffprobe.probe(last.file());
        assertThat(probe.errors()).as("ffprobe on %s", last.file()).isEmpty();
        assertThat(probe.decodedFrames()).as("pictures decoded = pictures recorded").isEqualTo(last.frames());
        long recorded = segments.stream().mapToLong(ArchiveOnDisk.Segment::frames).sum();
        long beforeKeyFrames = (received.reconnects() + 1) * (SyntheticClip.FPS - 1L);
        System.out.printf("storage-service: %d frames received before the SIGTERM, %d recorded; last segment ends %d ms"
                + " of capture time before the SIGTERM%n", received.framesProcessed(), recorded, sigtermAt - last.endTs());
        assertThat(recorded).as("frames recorded of the %d received before the SIGTERM, less those before a session's"
                + " first key frame", received.framesProcessed())
                .isGreaterThanOrEqualTo(received.framesProcessed() - beforeKeyFrames);
    }
}
