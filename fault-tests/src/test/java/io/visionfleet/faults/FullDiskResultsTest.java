package io.visionfleet.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.testing.ArchiveQueues;
import io.visionfleet.common.testing.Broker;
import io.visionfleet.common.testing.ServiceProcess;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * storage-service's results archive on a real 4 MiB tmpfs that another program fills up: results that cannot be
 * written are not acknowledged (they stay in the broker's durable queue and come again), readiness says why, and
 * once the space is freed the archive holds every result exactly once. Needs root (tmpfs and {@code rabbitmqctl}).
 */
@Tag("integration")
class FullDiskResultsTest {
    private static final Path MOUNT = Path.of("target", "full-disk-results");
    private static final int HTTP_PORT = 20951;
    private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000);
    private static final String STREAM = "fulldiskresults" + RUN;
    private static final String QUEUE_PREFIX = "faults" + RUN + ".";
    private static final String QUEUE = QUEUE_PREFIX + "processed_frames";
    private static final int BATCH = 300;

    @Test
    void resultsWaitInTheBrokerWhileTheDiskIsFullAndAreArchivedOnceAfterwards() throws Exception {
        BrokerControl.assumeControllable();
        try (Tmpfs disk = Tmpfs.mountOrSkip(MOUNT, "4m");
             ResultPublisher publisher = new ResultPublisher(STREAM)) {
            Path root = disk.dir().resolve("archive").toAbsolutePath();
            Map<String, String> config = Map.of(
                    "fleet.consumer.enabled", "false",
                    "fleet.storage.root", root.toString(),
                    "fleet.storage.retention.min-free", "1M",
                    "fleet.storage.retention.free-space-check-interval", "1s",
                    "fleet.storage.results.queue-prefix", QUEUE_PREFIX,
                    "fleet.rabbitmq.recovery-seconds", "1");
            try (ServiceProcess storage = ServiceProcess.start("storage-service",
                    ServiceProcess.siblingJar("storage-service", "fleet.test.storage-service-jar"), HTTP_PORT, "256m", config)) {
                ServiceProbe probe = new ServiceProbe("storage-service", storage.baseUri());
                await().atMost(Duration.ofSeconds(30)).until(() -> probe.readiness().check("archive")
                        .path("data").path("results_subscribed").asBoolean());
                publisher.publish(BATCH);
                awaitOrExplain(storage, root, Duration.ofSeconds(60), () -> archived(root).distinct() == BATCH
                        && BrokerControl.messages(QUEUE) == 0);

                long filledAt = System.currentTimeMillis();
                Path filler = disk.fill("filler");
                publisher.publish(BATCH);
                JsonNode failing = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                        .until(() -> probe.readiness().check("archive"), c -> c.path("data").has("results_failing"));
                long failingAt = System.currentTimeMillis();
                assertThat(failing.path("status").asText()).isEqualTo("DOWN");
                assertThat(failing.path("data").path("results_failing").asText()).contains("No space left on device");
                // the broker keeps what could not be written: every result is archived or still queued
                awaitOrExplain(storage, root, Duration.ofSeconds(60), () ->
                        archived(root).distinct() + BrokerControl.messages(QUEUE) >= 2L * BATCH);
                long countedAt = System.currentTimeMillis();
                long waiting = BrokerControl.messages(QUEUE);
                ResultCount whileFull = archived(root);
                assertThat(waiting).as("results waiting in %s while the disk is full", QUEUE).isPositive();
                assertThat(whileFull.duplicated()).as("results archived twice while the disk is full").isZero();
                assertThat(whileFull.distinct() + waiting).as("archived + waiting in the broker")
                        .isGreaterThanOrEqualTo(2L * BATCH);

                Files.delete(filler);
                long freedAt = System.currentTimeMillis();
                awaitOrExplain(storage, root, Duration.ofSeconds(60), () ->
                        archived(root).distinct() == 2 * BATCH && BrokerControl.messages(QUEUE) == 0);
                long drainedAt = System.currentTimeMillis();
                ResultCount after = archived(root);
                assertThat(after.distinct()).as("results archived").isEqualTo(2 * BATCH);
                assertThat(after.duplicated()).as("results archived twice").isZero();
                assertThat(unparsableLines(root)).as("lines that are not whole results").isZero();
                await().atMost(Duration.ofSeconds(10)).until(() -> !probe.readiness().check("archive").path("data")
                        .has("results_failing"));
                System.out.printf("full disk, results: of %d published while the disk was full, %d were written before"
                                + " it was full to the byte and none acknowledged (%d waited in the broker, all counted %d ms"
                                + " after the disk filled); readiness said why %d ms after the disk filled (%s); all %d"
                                + " archived exactly once %d ms after space was freed, %d redeliveries of lines already"
                                + " written skipped%n",
                        BATCH, whileFull.distinct() - BATCH, waiting, countedAt - filledAt, failingAt - filledAt,
                        failing.path("data").path("results_failing").asText(), after.distinct(), drainedAt - freedAt,
                        probe.readiness().check("archive").path("data").path("results_duplicates_skipped").asLong());
            }
        } finally {
            ArchiveQueues.delete(Broker.get(), QUEUE_PREFIX);
        }
    }

    /**
     * Waits until {@code done}, polling every 200 ms; past {@code deadline} prints where the archive and the queue stood
     * and storage's threads (a stall beside stress-ng was found that way) before failing.
     */
    private static void awaitOrExplain(ServiceProcess storage, Path root, Duration deadline, Callable<Boolean> done) {
        try {
            await().atMost(deadline).pollInterval(Duration.ofMillis(200)).until(done);
        } catch (ConditionTimeoutException stalled) {
            long asked = System.nanoTime();
            String queue = BrokerControl.queueState(QUEUE);
            System.out.printf("not reached: %d archived; queue (ready, unacknowledged, consumers): %s (rabbitmqctl took"
                    + " %d ms)%n", archived(root).distinct(), queue, (System.nanoTime() - asked) / 1_000_000);
            storage.dumpThreads();
            throw stalled;
        }
    }

    private static ResultCount archived(Path root) {
        return ArchivedResults.read(root, STREAM, "processed_frames");
    }

    /** Lines of this stream's result files that do not parse as a result (a line cut or glued by a failed write). */
    private static long unparsableLines(Path root) throws Exception {
        long bad = 0;
        try (var files = Files.walk(root.resolve(STREAM))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    try {
                        if (FrameResult.of(Json.MAPPER.readTree(line)).isEmpty()) {
                            bad++;
                        }
                    } catch (IOException e) {
                        bad++;
                    }
                }
            }
        }
        return bad;
    }
}
