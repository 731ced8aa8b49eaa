package io.visionfleet.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.visionfleet.common.testing.Ffprobe;
import io.visionfleet.common.testing.RelayProcess;
import io.visionfleet.common.testing.ServiceProcess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * storage-service recording onto a real 8 MiB tmpfs that another program fills up: the open segment closes with
 * a disk reason and plays, no video file is left unplayable, readiness is down and says why, nothing recorded is
 * deleted (deleting it could not bring the minimum back), and recording resumes once the space is freed.
 */
@Tag("integration")
class FullDiskTest {
    private static final Path MOUNT = Path.of("target", "full-disk");
    private static final int HTTP_PORT = 20941;

    @Test
    void aFullDiskPausesRecordingPlayablyWithAReasonAndItResumesWhenSpaceIsBack() throws Exception {
        try (Tmpfs disk = Tmpfs.mountOrSkip(MOUNT, "8m");
             RelayProcess relay = RelayProcess.startRelaying(20940, 21340, StreamingFleet.STREAM, SyntheticClip.get())) {
            ArchiveOnDisk archive = new ArchiveOnDisk(disk.dir().resolve("archive").toAbsolutePath());
            Map<String, String> config = StreamingFleet.followConfig(relay);
            config.putAll(Map.of(
                    "fleet.storage.root", archive.root().toString(),
                    "fleet.storage.segment-length", "4s",
                    "fleet.storage.snapshot-interval", "2s",
                    "fleet.storage.retention.min-free", "1M",
                    "fleet.storage.retention.free-space-check-interval", "1s",
                    "fleet.storage.results.enabled", "false"));
            try (ServiceProcess storage = ServiceProcess.start("storage-service",
                    ServiceProcess.siblingJar("storage-service", "fleet.test.storage-service-jar"), HTTP_PORT, "256m", config)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> closed(archive).size() >= 2);

                // a segment with at least one complete fragment (1 s GOP) and time left before it rolls over
                ArchiveOnDisk.Segment open = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(
                        () -> segments(archive).get(segments(archive).size() - 1), s -> s.state().equals("recording")
                                && System.currentTimeMillis() - s.startTs() >= 1200 && System.currentTimeMillis() - s.startTs() <= 2500);
                List<Long> recorded = closed(archive).stream().map(ArchiveOnDisk.Segment::startTs).toList();
                long filledAt = System.currentTimeMillis();
                Path filler = disk.fill("filler");

                JsonNode paused = await().atMost(Duration.ofSeconds(10)).until(FullDiskTest::archiveHealth,
                        h -> h.path("status").asText().equals("DOWN"));
                long pausedAt = System.currentTimeMillis();
                assertThat(paused.path("data").path("recording_paused").asText()).contains("under the minimum");
                ArchiveOnDisk.Segment cut = await().atMost(Duration.ofSeconds(10)).until(() -> segments(archive).stream()
                        .filter(s -> s.startTs() == open.startTs()).findFirst().orElseThrow(), s -> s.state().equals("closed"));
                assertThat(cut.closeReason()).as("why the open segment closed").isIn("disk_full", "disk_low");
                assertThat(archive.files(".partial.mp4")).as("nothing is being written while paused").isEmpty();
                List<ArchiveOnDisk.Segment> kept = closed(archive);
                assertThat(kept).extracting(ArchiveOnDisk.Segment::startTs).as("nothing recorded deleted").containsAll(recorded);
                assertAllPlay(archive, kept);

                Files.delete(filler);
                long freedAt = System.currentTimeMillis();
                ArchiveOnDisk.Segment resumed = await().atMost(Duration.ofSeconds(20)).until(
                        () -> closed(archive).stream().filter(s -> s.startTs() > cut.startTs()).findFirst().orElse(null),
                        s -> s != null);
                assertThat(archiveHealth().path("status").asText()).isEqualTo("UP");
                assertAllPlay(archive, closed(archive));
                System.out.printf("full disk: readiness down %d ms after the disk filled (%s); recording resumed at %d ms "
                        + "after space was freed%n", pausedAt - filledAt, cut.closeReason(), resumed.startTs() - freedAt);
            }
        }
    }

    private static void assertAllPlay(ArchiveOnDisk archive, List<ArchiveOnDisk.Segment> segments) throws Exception {
        assertThat(archive.files(".mp4").stream().filter(f -> !f.toString().endsWith(".partial.mp4")))
                .as("every closed video file is an indexed segment").containsExactlyInAnyOrderElementsOf(
                        segments.stream().map(ArchiveOnDisk.Segment::file).toList());
        for (ArchiveOnDisk.Segment segment : segments) {
            Ffprobe.Probe probe = Ffprobe.probe(segment.file());
            assertThat(probe.errors()).as("ffprobe on %s", segment.file()).isEmpty();
            assertThat(probe.decodedFrames()).as("pictures of %s", segment.file()).isEqualTo(segment.frames());
        }
    }

    /** The readiness check {@code archive}. */
    private static JsonNode archiveHealth() {
        for (JsonNode check : Http.json("http://127.0.0.1:" + HTTP_PORT + "/q/health/ready").path("checks")) {
            if (check.path("name").asText().equals("archive")) {
                return check;
            }
        }
        throw new IllegalStateException("no archive check");
    }

    /** The segments as the service's index has them: metadata.json cannot be rewritten while the disk is full. */
    private static List<ArchiveOnDisk.Segment> segments(ArchiveOnDisk archive) {
        List<ArchiveOnDisk.Segment> segments = new ArrayList<>();
        Http.json("http://127.0.0.1:" + HTTP_PORT + "/archive/streams/" + StreamingFleet.STREAM + "/segments")
                .path("segments").forEach(s -> segments.add(archive.segment(s)));
        return segments;
    }

    private static List<ArchiveOnDisk.Segment> closed(ArchiveOnDisk archive) {
        return segments(archive).stream().filter(s -> s.state().equals("closed")).toList();
    }
}
