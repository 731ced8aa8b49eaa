package io.visionfleet.storage.results;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The archive's routing on the real broker: a result published to its fanout exchange, with its stream id as routing
 * key, lands in exactly one archive queue, its stream's while the stream is routed, else the kind's shared queue, and
 * still says which exchange it was published to (the kind of a stream queue's message).
 */
@Tag("integration")
class ArchiveTopologyTest {
    private static final Duration ROUTED = Duration.ofSeconds(30);
    private ScratchTopology scratch;
    private ArchiveTopology topology;
    private Channel ch;

    @BeforeEach
    void connect() throws Exception {
        scratch = new ScratchTopology("archive-topology-test", List.of("cam-a"));
        topology = scratch.topology;
        ch = scratch.publisher;
    }

    @AfterEach
    void deleteEverything() throws Exception {
        scratch.close();
    }

    @Test
    void aRoutedStreamsResultsGoToItsQueueAndEveryOtherToTheSharedOne() throws Exception {
        topology.declare(ch);
        String queue = topology.declareStream(ch, "cam-a");
        topology.route(ch, "cam-a");
        publish(ResultKind.SLAM_RESULTS, "cam-a", "a1");
        publish(ResultKind.PROCESSED_FRAMES, "cam-b", "b1");

        Delivery routed = next(queue);
        assertThat(body(routed)).isEqualTo("a1");
        assertThat(ArchiveTopology.kindOf(routed.getEnvelope().getExchange())).contains(ResultKind.SLAM_RESULTS);
        assertThat(body(next(topology.sharedQueue(ResultKind.PROCESSED_FRAMES)))).isEqualTo("b1");
        assertEmpty(queue, topology.sharedQueue(ResultKind.SLAM_RESULTS), topology.sharedQueue(ResultKind.PROCESSED_FRAMES));

        topology.unroute(ch, "cam-a");
        publish(ResultKind.SLAM_RESULTS, "cam-a", "a2");
        assertThat(body(next(topology.sharedQueue(ResultKind.SLAM_RESULTS)))).as("no longer routed: shared").isEqualTo("a2");
        assertEmpty(queue);

        topology.route(ch, "cam-a");
        publish(ResultKind.IMU_DATA, "cam-a", "a3");
        assertThat(body(next(queue))).isEqualTo("a3");
        assertEmpty(topology.sharedQueue(ResultKind.IMU_DATA));
    }

    /** An archive of before routing by stream bound its shared queues to the fanouts: that binding goes, nothing doubles. */
    @Test
    void declaringOverTheUnroutedArchiveLeavesEachResultInOneQueue() throws Exception {
        for (ResultKind kind : ResultKind.values()) {
            ch.queueDeclare(topology.sharedQueue(kind), true, false, false,
                    Map.of("x-max-length", 1000, "x-queue-type", "quorum"));
            ch.queueBind(topology.sharedQueue(kind), kind.exchange(), "");
        }
        topology.declare(ch);
        topology.declare(ch); // at every new channel
        publish(ResultKind.PTZ_COMMANDS, "cam-c", "c1");
        assertThat(body(next(topology.sharedQueue(ResultKind.PTZ_COMMANDS)))).isEqualTo("c1");
        assertEmpty(topology.sharedQueue(ResultKind.PTZ_COMMANDS));
    }

    private void publish(ResultKind kind, String stream, String body) throws Exception {
        ch.basicPublish(kind.exchange(), stream, null, body.getBytes(StandardCharsets.UTF_8));
        ch.waitForConfirmsOrDie(ROUTED.toMillis());
    }

    /** The one message the queue holds (a consumer, as stream queues with a single active consumer allow no get). */
    private Delivery next(String queue) throws Exception {
        BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
        String tag = ch.basicConsume(queue, true, (t, delivery) -> got.add(delivery), t -> { });
        try {
            Delivery first = got.poll(ROUTED.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(first).as("a message in %s", queue).isNotNull();
            return first;
        } finally {
            ch.basicCancel(tag);
            assertThat(got).as("no other message in %s", queue).isEmpty();
        }
    }

    /** Confirmed means routed, so a queue that is empty now received nothing. */
    private void assertEmpty(String... queues) throws IOException {
        for (String queue : queues) {
            assertThat(ch.queueDeclarePassive(queue).getMessageCount()).as(queue).isZero();
        }
    }

    private static String body(Delivery response) {
        return new String(response.getBody(), StandardCharsets.UTF_8);
    }
}
