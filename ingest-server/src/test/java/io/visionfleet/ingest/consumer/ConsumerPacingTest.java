package io.visionfleet.ingest.consumer;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.common.consumer.StreamState;
import io.visionfleet.common.messages.FrameStats;
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
import java.util.Map;
import java.util.stream.Collectors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Decoded mode against the real relay at 30 fps: processing slower than the stream takes the newest frame and drops
 * the stale ones instead of falling behind, the rate cap spaces processing, every frame is processed or counted as
 * dropped, native memory stays flat while frames flow, and streams that overload the processing threads share them
 * evenly. The rates and frame ages are logged, not asserted: the machine's load decides them.
 */
@QuarkusTest
@WithTestResource(BrokerResource.class)
@Tag("integration")
class ConsumerPacingTest {
    private static final Logger LOG = Logger.getLogger(ConsumerPacingTest.class);
    private static final Duration WITHIN = Duration.ofSeconds(20);
    private static final ReferenceClip CLIP = ReferenceClip.synthetic(320, 240, 30, 30, 60);

    @Inject
    TestRelay relay;

    @Test
    void slowProcessingTakesTheNewestFrameAndNeverFallsBehind() throws Exception {
        try (TestRelay.FedStream fed = relay.feed("slow", CLIP);
             SlowConsumer consumer = new SlowConsumer(relay.url(""), 0, 3)) {
            consumer.follow("slow");
            StreamState state = consumer.stream("slow").orElseThrow();
            await().atMost(WITHIN).until(() -> consumer.processed().size() >= 10); // warm-up: JIT, slots, decoder
            long bytesWarm = Pointer.totalBytes();
            long warmIn = state.framesIn();
            await().atMost(WITHIN).until(() -> state.framesIn() >= warmIn + 60);
            long bytesLater = Pointer.totalBytes();
            long now = System.currentTimeMillis();
            LOG.infof("processing that lasts 3 frames of a 30 fps stream: %.1f fps in, %.1f fps processed, %d dropped, "
                            + "frame age at processing start at most %d ms; JavaCPP native bytes %d -> %d",
                    state.fpsIn(now), state.fpsProcessed(now), state.dropped(),
                    consumer.processed().stream().mapToLong(SlowConsumer.Processed::ageMs).max().orElseThrow(),
                    bytesWarm, bytesLater);
            consumer.close();

            List<SlowConsumer.Processed> processed = consumer.processed();
            for (int i = 1; i < processed.size(); i++) {
                SlowConsumer.Processed before = processed.get(i - 1);
                SlowConsumer.Processed next = processed.get(i);
                // a new session's first frame is processed whatever came after it: compare within one session
                if (next.sessionsEnded() == before.sessionsEnded()) {
                    // every frame up to framesInAfter - 1 was handed over before that processing ended
                    assertThat(next.frameNumber()).as("frame processed after frame %d: the newest, not the next",
                            before.frameNumber()).isGreaterThanOrEqualTo(before.framesInAfter() - 1);
                }
            }
            assertThat(state.dropped()).as("the stale frames").isPositive();
            assertEveryFrameProcessedOrDropped(state);
            assertThat(bytesLater - bytesWarm).as("native memory allocated per frame").isLessThan(64 * 1024);
        }
    }

    @Test
    void picturesNothingRefersToAreNotDecodedWhileProcessingIsBehindAndTheRestDecodeExactly() throws Exception {
        ReferenceClip bFrames = ReferenceClip.x264WithBFrames(320, 240, 30, 30, 60); // 2 of every 3 refer to none
        try (TestRelay.FedStream fed = relay.feed("b-frames", bFrames);
             SlowConsumer consumer = new SlowConsumer(relay.url(""), 0, 3)) {
            consumer.follow("b-frames");
            StreamState state = consumer.stream("b-frames").orElseThrow();
            await().atMost(WITHIN).until(() -> consumer.processed().size() >= 15 && state.notDecoded() > 0);
            consumer.close();

            LOG.infof("B-frames, processing that lasts 3 frames: %d in, %d processed, %d dropped, %d of them not decoded",
                    state.framesIn(), state.framesProcessed(), state.dropped(), state.notDecoded());
            // every picture handed over is one FFmpeg decodes from the clip, pixel for pixel: leaving pictures out
            // broke no later one
            assertThat(consumer.processed()).allSatisfy(p -> assertThat(bFrames.pictureOf(p.digest()))
                    .as("frame %d is a picture of the clip", p.frameNumber()).isNotNegative());
            assertThat(state.notDecoded()).isLessThanOrEqualTo(state.dropped());
            assertEveryFrameProcessedOrDropped(state);
        }
    }

    @Test
    void maxFpsSpacesProcessingAndCountsTheRestAsDropped() throws Exception {
        try (TestRelay.FedStream fed = relay.feed("capped", CLIP);
             SlowConsumer consumer = new SlowConsumer(relay.url(""), 5, 0)) {
            consumer.follow("capped");
            StreamState state = consumer.stream("capped").orElseThrow();
            await().atMost(WITHIN).until(() -> consumer.processed().size() >= 12);
            consumer.close();

            List<SlowConsumer.Processed> processed = consumer.processed();
            long spanNanos = processed.get(processed.size() - 1).startNanos() - processed.get(1).startNanos();
            int intervals = processed.size() - 2;
            LOG.infof("max-fps 5 on a 30 fps stream: %d processing starts %d ms apart on average, %d frames in, %d dropped",
                    intervals + 1, TimeUnit.NANOSECONDS.toMillis(spanNanos) / intervals, state.framesIn(), state.dropped());
            // the cap spaces processing starts at least 200 ms apart; one interval spares how late onFrame runs after
            // the start the consumer timed (uncapped, these frames would take a third of a second)
            assertThat(spanNanos).as("%d intervals between processing starts", intervals)
                    .isGreaterThanOrEqualTo((intervals - 1) * TimeUnit.MILLISECONDS.toNanos(200));
            assertEveryFrameProcessedOrDropped(state);
        }
    }

    @Test
    void overloadedProcessingGivesEveryStreamItsShareAndSaysByHowMuch() throws Exception {
        List<String> ids = List.of("share-a", "share-b", "share-c");
        try (TestRelay.FedStream a = relay.feed(ids.get(0), CLIP);
             TestRelay.FedStream b = relay.feed(ids.get(1), CLIP);
             TestRelay.FedStream c = relay.feed(ids.get(2), CLIP);
             // one processing thread for three streams, each frame of which lasts two of its stream's frames
             SlowConsumer consumer = new SlowConsumer(relay.url(""), 0, 2, 1)) {
            ids.forEach(consumer::follow);
            await().atMost(WITHIN).until(() -> ids.stream().allMatch(id -> processedOf(consumer, id) >= 3));
            Map<String, Long> before = ids.stream().collect(Collectors.toMap(id -> id, id -> processedOf(consumer, id)));
            await().atMost(WITHIN).until(() -> ids.stream().mapToLong(id -> processedOf(consumer, id) - before.get(id))
                    .sum() >= 30);
            Map<String, Long> share = ids.stream()
                    .collect(Collectors.toMap(id -> id, id -> processedOf(consumer, id) - before.get(id)));
            List<FrameStats> status = consumer.status(System.currentTimeMillis());
            LOG.infof("three streams on one thread: frames processed %s, load %s; %s", share, consumer.load().orElseThrow(),
                    status);

            double mean = share.values().stream().mapToLong(Long::longValue).average().orElseThrow();
            long least = share.values().stream().mapToLong(Long::longValue).min().orElseThrow();
            // the streams take the thread in turn: at most one frame apart, whichever stream the count stopped at
            assertThat(least / mean).as("least / mean frames processed of %s", share).isGreaterThanOrEqualTo(0.8);
            // each frame holds the thread for two of its stream's frames: three streams want about six threads (the
            // measure reaches that once the input rates' 5 s window has filled; over capacity it is from the start)
            assertThat(consumer.load()).hasValueSatisfying(load -> assertThat(load).isGreaterThan(1.0));
            assertThat(status).extracting(FrameStats::streamId).containsExactlyElementsOf(ids);
            assertThat(status).allSatisfy(s -> {
                assertThat(s.skippedForCapacity()).as("%s skipped for capacity", s.streamId()).isPositive();
                assertThat(s.load()).isGreaterThan(1.0);
                assertThat(s.processingMs()).isPositive();
            });
        }
    }

    private static long processedOf(SlowConsumer consumer, String streamId) {
        return consumer.stream(streamId).map(StreamState::framesProcessed).orElse(0L);
    }

    /** Once the consumer stopped: only the frame pending at the stop was neither processed nor dropped. */
    private static void assertEveryFrameProcessedOrDropped(StreamState state) {
        assertThat(state.framesIn() - state.framesProcessed() - state.dropped())
                .as("frames neither processed nor counted as dropped: %d in, %d processed, %d dropped, %d failed",
                        state.framesIn(), state.framesProcessed(), state.dropped(), state.processingErrors())
                .isBetween(0L, 1L);
    }
}
