package io.visionfleet.ingest.consumer;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.common.consumer.StreamState;
import io.visionfleet.common.testing.BrokerResource;
import io.visionfleet.ingest.relay.RtspServer;
import io.visionfleet.ingest.testing.ReferenceClip;
import io.visionfleet.ingest.testing.TestRelay;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue test 4: the relay is killed and restarted; a consumer reconnects and gets frames again. The "within
 * 10 s" follows from the back-off's 5 s cap ({@code BackoffTest}) plus one connect; how long it took is logged, not
 * asserted, and the deadline is far beyond it.
 */
@QuarkusTest
@WithTestResource(BrokerResource.class)
@Tag("integration")
class ConsumerReconnectTest {
    private static final Logger LOG = Logger.getLogger(ConsumerReconnectTest.class);

    @Inject
    TestRelay relay;
    @Inject
    RtspServer server;

    @Test
    void consumerGetsFramesAgainAfterARelayRestart() throws Exception {
        ReferenceClip clip = ReferenceClip.synthetic(320, 240, 30, 15, 60);
        try (TestRelay.FedStream fed = relay.feed("restart", clip);
             RecordingConsumer consumer = new RecordingConsumer(relay.url(""))) {
            consumer.follow("restart");
            StreamState state = consumer.stream("restart").orElseThrow();
            await().atMost(Duration.ofSeconds(10)).until(() -> state.connected() && state.framesIn() >= 15);

            server.stop();
            // the session ends, then at least one connect is refused while the relay is down
            await().atMost(Duration.ofSeconds(10)).until(() -> state.reconnects() >= 2);
            assertThat(state.connected()).isFalse();
            long framesBefore = state.framesIn();
            int seenBefore = consumer.seen().size();

            long restartNanos = System.nanoTime();
            server.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> state.connected() && state.framesIn() >= framesBefore + 15);
            Duration recovered = Duration.ofNanos(System.nanoTime() - restartNanos);
            LOG.infof("frames flowing again %d ms after the relay restarted", recovered.toMillis());

            List<RecordingConsumer.Seen> recorded = List.copyOf(consumer.seen()); // the consumer keeps appending
            List<RecordingConsumer.Seen> after = recorded.subList(seenBefore, recorded.size());
            assertThat(after).isNotEmpty().allSatisfy(seen -> {
                int picture = clip.pictureOf(seen.digest());
                assertThat(picture).as("a clean picture of the clip").isNotNegative();
            });
            assertThat(after.get(0).frameNumber()).as("frame numbers continue across the reconnect")
                    .isGreaterThan(framesBefore);
        } finally {
            server.start();
        }
    }
}
