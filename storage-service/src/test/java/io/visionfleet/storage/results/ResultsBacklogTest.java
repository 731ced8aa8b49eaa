package io.visionfleet.storage.results;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.visionfleet.common.bus.DurableQueues;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.messages.ProcessedFrame;
import io.visionfleet.common.testing.ArchiveQueues;
import io.visionfleet.common.testing.Broker;
import io.visionfleet.common.testing.BrokerResource;
import io.visionfleet.storage.support.ArchiveFiles;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Results published while storage was down wait in its durable queues. With more of them than the prefetch and the
 * AMQP client's dispatch queue hold (in every queue), storage must still subscribe when it starts, archive every one and drain the
 * queue (it used to deadlock: it consumed under the lock its delivery handler takes).
 */
@QuarkusTest
@TestProfile(ResultsBacklogTest.Profile.class)
@WithTestResource(BrokerResource.class)
@WithTestResource(ResultsBacklogTest.Backlog.class)
@Tag("integration")
class ResultsBacklogTest {
    private static final String QUEUES = "storage-backlog-test.";
    private static final String STREAM = "backlog-cam";
    private static final int BACKLOG = 5000;
    private static final Path ROOT = Path.of("target", "backlog-archive");

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            ArchiveFiles.deleteTree(ROOT);
            return Map.of("fleet.storage.root", ROOT.toString(),
                    "fleet.storage.results.enabled", "true",
                    "fleet.storage.results.queue-prefix", QUEUES,
                    "fleet.storage.results.flush-interval", "100ms");
        }
    }

    /** Declares storage's queues as it does and fills one before the application starts, as if storage had been down. */
    public static class Backlog implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try (Connection connection = Broker.get().connect(); Channel channel = connection.createChannel()) {
                channel.confirmSelect();
                for (ResultKind kind : ResultKind.values()) {
                    channel.queueDelete(QUEUES + kind.fileName());
                    DurableQueues.declare(channel, QUEUES + kind.fileName(), Map.of("x-max-length", 1_000_000));
                    channel.queueBind(QUEUES + kind.fileName(), kind.exchange(), "");
                }
                // every queue holds more than the prefetch: together they overfill the client's dispatch queue
                long ts = System.currentTimeMillis() - 60_000;
                for (int i = 0; i < BACKLOG; i++) {
                    byte[] body = Json.MAPPER.writeValueAsBytes(Map.of("schema", ProcessedFrame.SCHEMA, "stream_id", STREAM,
                            "capture_ts", ts + i, "frame_number", i));
                    for (ResultKind kind : ResultKind.values()) {
                        channel.basicPublish("", QUEUES + kind.fileName(), null, body);
                    }
                }
                channel.waitForConfirmsOrDie(30_000);
            } catch (Exception e) {
                throw new IllegalStateException("cannot prepare the backlog", e);
            }
            return Map.of();
        }

        @Override
        public void stop() {
            try {
                ArchiveQueues.delete(Broker.get(), QUEUES, "drone"); // the stream it follows by default
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Inject
    ResultsArchive results;

    @Test
    void aBacklogLargerThanThePrefetchIsArchivedWhenStorageStarts() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> lines(STREAM) >= BACKLOG);
        assertThat(results.subscribed()).isTrue();
        assertThat(lines(STREAM)).as("each result once").isEqualTo(BACKLOG);
        try (Connection connection = Broker.get().connect(); Channel channel = connection.createChannel()) {
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    channel.queueDeclarePassive(QUEUES + ResultKind.PROCESSED_FRAMES.fileName()).getMessageCount() == 0);
        }
    }

    /** Archived processed-frame lines of a stream, over all its files. */
    private static long lines(String stream) {
        Path dir = ROOT.resolve(stream);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.getFileName().toString().contains(ResultKind.PROCESSED_FRAMES.fileName()))
                    .mapToLong(ResultsBacklogTest::lineCount).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long lineCount(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
