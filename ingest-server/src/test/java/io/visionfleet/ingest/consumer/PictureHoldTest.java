package io.visionfleet.ingest.consumer;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.common.testing.BrokerResource;
import io.visionfleet.ingest.relay.RelayStream;
import io.visionfleet.ingest.stream.StreamRegistry;
import io.visionfleet.ingest.testing.ReferenceClip;
import io.visionfleet.ingest.testing.TestRelay;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 21: a decoded-mode consumer hands a picture out as soon as its last packet arrived, not when the next
 * picture begins. Each picture is published alone; the next follows only once the consumer handed this one out,
 * or after {@link #PAUSE}. A consumer that holds a picture until the next one arrives therefore waits out the
 * whole pause; one that does not takes a few milliseconds, far below {@link #MAX_HANDOUT_MS} even on a busy machine.
 */
@QuarkusTest
@WithTestResource(BrokerResource.class)
@Tag("integration")
class PictureHoldTest {
    private static final Duration PAUSE = Duration.ofMillis(1500);
    private static final long MAX_HANDOUT_MS = 300;
    private static final ReferenceClip CLIP = ReferenceClip.synthetic(320, 240, 30, 30, 8);

    @Inject
    TestRelay relay;
    @Inject
    StreamRegistry registry;

    @Test
    void everyPictureIsHandedOutBeforeTheNextOneIsSent() throws Exception {
        RelayStream stream = registry.open("hold", "test");
        try (RecordingConsumer consumer = new RecordingConsumer(relay.url(""))) {
            publish(stream, 0);
            consumer.follow("hold"); // it joins at the relay's cached picture 0, the IDR
            await().atMost(Duration.ofSeconds(15)).until(() -> handedOut(consumer, 0).isPresent());

            for (int picture = 1; picture < CLIP.frames(); picture++) {
                long sentMs = publish(stream, picture);
                int p = picture;
                await().pollInterval(Duration.ofMillis(5)).atMost(PAUSE).until(() -> handedOut(consumer, p).isPresent());
                long handoutMs = handedOut(consumer, picture).orElseThrow().processedMs() - sentMs;
                System.out.printf("picture %d handed out %d ms after it was sent%n", picture, handoutMs);
                assertThat(handoutMs).as("picture %d: sent to handed out", picture).isLessThan(MAX_HANDOUT_MS);
            }
        } finally {
            registry.close(stream);
        }
    }

    /** Publishes clip picture {@code picture}, captured now; returns when. */
    private static long publish(RelayStream stream, int picture) {
        long now = System.currentTimeMillis();
        stream.publish(CLIP.accessUnits().get(picture).withCaptureTs(now));
        return now;
    }

    private static Optional<RecordingConsumer.Seen> handedOut(RecordingConsumer consumer, int picture) {
        return consumer.seen().stream().filter(s -> CLIP.pictureOf(s.digest()) == picture).findFirst();
    }
}
