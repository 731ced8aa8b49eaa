package io.visionfleet.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.testing.ArchiveQueues;
import io.visionfleet.common.testing.Broker;
import io.visionfleet.common.testing.RelayProcess;
import io.visionfleet.common.testing.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
 * storage-service killed (SIGKILL: nothing flushed, nothing acknowledged on the way out) while frame-processor's
 * results stream into its archive, and started again. The archive acknowledges only every 5 minutes here, later than
 * the kill can come, so every result it wrote before dying is unacknowledged: the broker delivers each again to the
 * restarted service, which must recognise them from the files' tails and skip them. (With a flush every 2 s, a kill
 * that came just after a flush, before the next result was written, found nothing to redeliver.) Results published
 * while it is down wait in its durable queue. Afterwards the archive holds every processed frame exactly once, checked
 * against a witness queue.
 */
@Tag("integration")
class StorageCrashTest {
    private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000);
    private static final String STREAM = "storagecrash" + RUN;
    private static final String QUEUE_PREFIX = "faults" + RUN + ".";
    private static final Duration READY_DEADLINE = Duration.ofSeconds(60);

    private static final List<AutoCloseable> started = new ArrayList<>();
    private static RelayProcess relay;
    private static ServiceProbe processor;
    private static ServiceProcess storage;
    private static ServiceProbe storageProbe;
    private static Path archiveRoot;
    private static Witness witness;

    @BeforeAll
    static void startFleet() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "storage-crash-" + RUN)).toAbsolutePath();
        archiveRoot = work.resolve("archive");
        witness = closing(new Witness("faults.witness.crash." + RUN, Exchanges.PROCESSED_FRAMES));
        relay = closing(RelayProcess.start(20421, 20821));
        storage = closing(ServiceProcess.start("storage-service",
                ServiceProcess.siblingJar("storage-service", "fleet.test.storage-service-jar"), 20424, "384m",
                Map.of("fleet.consumer.enabled", "false", "fleet.storage.root", archiveRoot.toString(),
                        "fleet.storage.results.queue-prefix", QUEUE_PREFIX,
                        // no flush before the kill (it comes within READY_DEADLINE and the wait for 60 results):
                        // every result written by then is unacknowledged
                        "fleet.storage.results.flush-interval", "5m")));
        storageProbe = new ServiceProbe("storage-service", storage.baseUri());
        ServiceProcess fp = closing(ServiceProcess.start("frame-processor",
                ServiceProcess.siblingJar("frame-processor", "fleet.test.frame-processor-jar"), 20422, "768m",
                Map.of("fleet.consumer.relay-url", relay.rtspBase(), "fleet.consumer.streams", STREAM,
                        "fleet.consumer.follow-stream-events", "false", "fleet.consumer.stats-log-interval", "0")));
        processor = new ServiceProbe("frame-processor", fp.baseUri());
        await().atMost(READY_DEADLINE).until(() -> storageProbe.ready() && processor.ready());
        relay.addFileSource(STREAM, SyntheticClip.get());
    }

    @AfterAll
    static void stopFleet() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
        ArchiveQueues.delete(Broker.get(), QUEUE_PREFIX, STREAM);
    }

    @Test
    void aKilledStorageArchivesEveryResultExactlyOnceAfterItsRestart() throws Exception {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> archived().distinct() >= 60);
        long linesAtKill = archived().distinct();
        long archivedCounter = archiveData().path("results_archived").asLong();
        storage.kill();
        long killedAtFrames = framesProcessed();
        // results go on while it is down: they wait in its durable queue
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> framesProcessed() >= killedAtFrames + 50);
        storage.restart();
        await().atMost(READY_DEADLINE).pollInterval(Duration.ofMillis(100)).until(storageProbe::ready);
        long restartedAtFrames = framesProcessed();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> framesProcessed() >= restartedAtFrames + 50);
        relay.removeSource(STREAM);
        long processed = processor.awaitDrained(STREAM).framesProcessed();

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> archived().distinct() >= processed);
        ResultCount frames = archived();
        ResultCount witnessed = witness.drain(STREAM);
        JsonNode data = archiveData();
        long skipped = data.path("results_duplicates_skipped").asLong();
        System.out.printf("storage SIGKILL mid-stream: %d results on disk at the kill (%d counted as archived by the"
                        + " service, none acknowledged yet); after the restart %d redeliveries recognised and skipped;"
                        + " %d processed frames counted, %d reached the broker, %d archived, %d archived twice%n",
                linesAtKill, archivedCounter, skipped, processed, witnessed.distinct(), frames.distinct(), frames.duplicated());
        assertThat(skipped).as("redeliveries of results written before the kill, skipped after the restart")
                .isGreaterThanOrEqualTo(linesAtKill);
        assertThat(witnessed.distinct()).as("processed frames that reached the broker").isEqualTo(processed);
        assertThat(frames.distinct()).as("processed frames archived").isEqualTo(processed);
        assertThat(frames.results()).as("archived = reached the broker").isEqualTo(witnessed.results());
        assertThat(frames.duplicated()).as("processed frames archived twice").isZero();
    }

    private static ResultCount archived() {
        return ArchivedResults.read(archiveRoot, STREAM, "processed_frames");
    }

    private static JsonNode archiveData() {
        return storageProbe.readiness().check("archive").path("data");
    }

    private static long framesProcessed() {
        for (JsonNode s : processor.json("/streams").orElseThrow()) {
            if (STREAM.equals(s.path("stream_id").asText())) {
                return s.path("frames_processed").asLong();
            }
        }
        return 0;
    }

    private static <T extends AutoCloseable> T closing(T resource) {
        started.add(resource);
        return resource;
    }
}
