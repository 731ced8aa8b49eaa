package io.visionfleet.storage.results;

import com.rabbitmq.client.Channel;
import io.visionfleet.common.consumer.StreamState;
import io.visionfleet.common.testing.ArchiveQueues;
import io.visionfleet.common.testing.Broker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Which stream queues a replica consumes, on the real broker (calls made on the test's thread instead of the
 * archive's): a recorded stream's queue is routed and consumed; a released one is unrouted and let go once empty; a
 * queue left with results and no consumer, of a stream the replica has seen, is drained by a full sweep; one that
 * nothing can reach any more is deleted by the second full sweep that finds it so.
 */
@Tag("integration")
class RecordedStreamQueuesTest {
    private static final Duration DELIVERED = Duration.ofSeconds(30);
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    /** Bodies the replica's consumers received, in order. */
    private final List<String> received = new CopyOnWriteArrayList<>();
    private ScratchTopology scratch;
    private ArchiveTopology topology;
    private RecordedStreamQueues queues;
    private Channel publisher;

    @BeforeEach
    void attach() throws Exception {
        scratch = new ScratchTopology("recorded-stream-queues-test", List.of("cam-a", "cam-gone"));
        topology = scratch.topology;
        publisher = scratch.publisher;
        queues = new RecordedStreamQueues(topology, Runnable::run, () -> known);
        Channel archive = scratch.connection.createChannel();
        topology.declare(archive);
        queues.attach(archive, (queue, cancelled) -> archive.basicConsume(queue, true,
                (tag, d) -> received.add(new String(d.getBody(), StandardCharsets.UTF_8)), cancelled));
    }

    @AfterEach
    void deleteEverything() throws Exception {
        scratch.close();
    }

    @Test
    void aRecordedStreamIsConsumedUntilReleasedAndItsQueueDrained() throws Exception {
        queues.followed(new StreamState("cam-a", "rtsp://relay/cam-a"));
        assertThat(queues.consumed()).containsExactly("cam-a");
        publish("cam-a", "a1");
        await().atMost(DELIVERED).until(() -> received.contains("a1"));

        queues.unfollowed(new StreamState("cam-a", "rtsp://relay/cam-a"));
        publish("cam-a", "a2");
        assertThat(messages(topology.sharedQueue(ResultKind.PROCESSED_FRAMES))).as("released: shared").isEqualTo(1);
        assertThat(queues.consumed()).as("consumed until its queue is empty").containsExactly("cam-a");
        queues.sweep(false);
        assertThat(queues.consumed()).isEmpty();
        assertThat(consumers("cam-a")).isZero();
        assertThat(received).containsExactly("a1");
    }

    @Test
    void aSweepDrainsTheQueueOfAStreamThatEndedWhileItsReplicaWasDead() throws Exception {
        try (Channel dead = scratch.connection.createChannel()) {
            topology.declareStream(dead, "cam-gone"); // routed by a replica that then died
            topology.route(dead, "cam-gone");
        }
        publish("cam-gone", "g1");
        publish("cam-gone", "g2");
        queues.sweep(true);
        assertThat(received).as("a stream this replica never saw is not its business").isEmpty();

        known.add("cam-gone"); // the group knew it
        queues.sweep(true);
        await().atMost(DELIVERED).until(() -> received.size() == 2);
        assertThat(received).containsExactly("g1", "g2");
        queues.sweep(false);
        assertThat(queues.consumed()).as("let go once empty").isEmpty();
    }

    @Test
    void theQueueOfAStreamThatEndedIsDeletedByTheSecondSweepThatFindsItIdle() throws Exception {
        queues.followed(new StreamState("cam-a", "rtsp://relay/cam-a"));
        publish("cam-a", "a1");
        await().atMost(DELIVERED).until(() -> received.contains("a1"));
        queues.unfollowed(new StreamState("cam-a", "rtsp://relay/cam-a"));
        queues.sweep(false);

        known.add("cam-a"); // handed to another replica that has not consumed yet
        queues.sweep(true);
        queues.sweep(true);
        assertThat(exists("cam-a")).as("a stream the group knows keeps its queue").isTrue();

        known.remove("cam-a"); // ended
        queues.sweep(true);
        assertThat(exists("cam-a")).as("found idle once: kept").isTrue();
        queues.sweep(true);
        assertThat(exists("cam-a")).as("found idle twice: deleted").isFalse();
        publish("cam-a", "a2");
        assertThat(messages(topology.sharedQueue(ResultKind.PROCESSED_FRAMES))).isEqualTo(1);
        assertThat(received).containsExactly("a1");
    }

    @Test
    void anIdleQueueThatANewOwnerConsumesBetweenSweepsIsKept() throws Exception {
        queues.followed(new StreamState("cam-a", "rtsp://relay/cam-a"));
        queues.unfollowed(new StreamState("cam-a", "rtsp://relay/cam-a"));
        queues.sweep(false);
        queues.sweep(true);
        try (Channel owner = scratch.connection.createChannel()) {
            topology.declareStream(owner, "cam-a");
            owner.basicConsume(topology.streamQueue("cam-a"), true, (tag, d) -> { }, tag -> { });
            topology.route(owner, "cam-a");
            queues.sweep(true);
            assertThat(exists("cam-a")).isTrue();
            assertThat(consumers("cam-a")).isEqualTo(1);
        }
    }

    @Test
    void aRecordedStreamsQueueDeletedUnderItIsMadeAgainAndRouted() throws Exception {
        queues.followed(new StreamState("cam-a", "rtsp://relay/cam-a"));
        publisher.queueDelete(topology.streamQueue("cam-a")); // an operator's mistake
        await().atMost(DELIVERED).ignoreExceptions().until(() -> consumers("cam-a") == 1);
        publish("cam-a", "a1");
        await().atMost(DELIVERED).until(() -> received.contains("a1"));
        assertThat(queues.consumed()).containsExactly("cam-a");
        assertThat(messages(topology.sharedQueue(ResultKind.PROCESSED_FRAMES))).isZero();
    }

    private void publish(String stream, String body) throws Exception {
        publisher.basicPublish(ResultKind.PROCESSED_FRAMES.exchange(), stream, null, body.getBytes(StandardCharsets.UTF_8));
        publisher.waitForConfirmsOrDie(DELIVERED.toMillis());
    }

    private long messages(String queue) throws Exception {
        return publisher.queueDeclarePassive(queue).getMessageCount();
    }

    private boolean exists(String stream) throws Exception {
        return ArchiveQueues.exists(Broker.get(), topology.streamQueue(stream));
    }

    private long consumers(String stream) throws Exception {
        return publisher.queueDeclarePassive(topology.streamQueue(stream)).getConsumerCount();
    }
}
