package io.visionfleet.ingest.consumer;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.common.rtsp.StreamState;
import io.visionfleet.common.testing.BrokerResource;
import io.visionfleet.ingest.testing.ReferenceClip;
import io.visionfleet.ingest.testing.TestRelay;
import jakarta.inject.Inject;
import org.bytedeco.javacpp.Pointer;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Decoded mode against the real relay at 30 fps: processing slower than the stream drops stale frames instead of
 * falling behind, the rate cap holds, and native memory stays flat while frames flow.
 */
@QuarkusTest
@WithTestResource(BrokerResource.class)
@Tag("integration")
class ConsumerPacingTest {
    private static final Logger LOG = Logger.getLogger(ConsumerPacingTest.class);

    @Inject
    TestRelay relay;

    @Test
    void slowProcessingDropsStaleFramesAndNeverFallsBehind() throws Exception {
        ReferenceClip clip = ReferenceClip.synthetic(320, 240, 30, 30, 60);
        try (TestRelay.FedStream fed = relay.feed("slow", clip);
             TimedConsumer consumer = new TimedConsumer(relay.url(""), Duration.ofMillis(100), 0)) {
            consumer.follow("slow");
            StreamState state = consumer.stream("slow").orElseThrow();
            await().atMost(Duration.ofSeconds(10)).until(() -> consumer.ageAtStartMs().size() >= 20);
            long bytesWarm = Pointer.totalBytes();
            int warm = consumer.ageAtStartMs().size();
            await().atMost(Duration.ofSeconds(15)).until(() -> consumer.ageAtStartMs().size() >= warm + 60);
            long bytesLater = Pointer.totalBytes();
            long now = System.currentTimeMillis();

            List<Long> recorded = List.copyOf(consumer.ageAtStartMs()); // the consumer keeps appending
            List<Long> ages = recorded.subList(warm, recorded.size());
            long worst = ages.stream().mapToLong(Long::longValue).max().orElseThrow();
            LOG.infof("100 ms processing of a 30 fps stream: %.1f fps in, %.1f fps processed, %d dropped, frame age at "
                            + "processing start at most %d ms over %d frames; JavaCPP native bytes %d -> %d",
                    state.fpsIn(now), state.fpsProcessed(now), state.dropped(), worst, ages.size(), bytesWarm, bytesLater);
            // a frame waits at most one processing period (100 ms) plus transport: a backlog would grow without bound
            assertThat(worst).as("frame age when processing starts").isLessThan(250);
            assertThat(state.fpsIn(now)).isBetween(25.0, 35.0);
            assertThat(state.fpsProcessed(now)).isBetween(7.0, 10.5);
            assertThat(state.dropped()).isGreaterThan(100);
            assertThat(state.framesIn() - state.framesProcessed() - state.dropped())
                    .as("frames neither processed nor dropped: at most one pending and one in processing").isBetween(0L, 2L);
            assertThat(bytesLater - bytesWarm).as("native memory allocated per frame").isLessThan(64 * 1024);

            consumer.close();
            assertThat(bytesLater - Pointer.totalBytes()).as("the three frame slots are freed on close, not left to the GC")
                    .isGreaterThanOrEqualTo(3L * 320 * 240 * 3);
        }
    }

    @Test
    void maxFpsCapsProcessingAndCountsTheRestAsDropped() throws Exception {
        ReferenceClip clip = ReferenceClip.synthetic(320, 240, 30, 30, 60);
        try (TestRelay.FedStream fed = relay.feed("capped", clip);
             TimedConsumer consumer = new TimedConsumer(relay.url(""), Duration.ZERO, 5)) {
            consumer.follow("capped");
            StreamState state = consumer.stream("capped").orElseThrow();
            await().atMost(Duration.ofSeconds(10)).until(() -> state.framesProcessed() >= 5);
            long firstProcessed = state.framesProcessed();
            long start = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).until(() -> state.framesProcessed() >= firstProcessed + 20);
            double seconds = (System.nanoTime() - start) / 1e9;
            double rate = 20 / seconds;
            LOG.infof("max-fps 5 on a 30 fps stream: %.2f fps processed, %d dropped", rate, state.dropped());
            assertThat(rate).isBetween(4.0, 5.2);
            assertThat(state.dropped()).isGreaterThan(state.framesProcessed() * 3);
        }
    }
}
