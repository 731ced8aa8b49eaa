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
 * picture begins. Each picture is published alone, and the next only once the consumer handed this one out: a
 * consumer that held a picture until the next one arrived would never hand it out. Its session's I/O timeout is
 * longer than the wait, so no end of the session can flush a held picture out either. How long each hand-out took
 * is printed (a few milliseconds), not asserted.
 */
@QuarkusTest
@WithTestResource(BrokerResource.class)
@Tag("integration")
class PictureHoldTest {
    private static final Duration WITHIN = Duration.ofSeconds(15);
    private static final Duration IO_TIMEOUT = WITHIN.multipliedBy(2);
    private static final ReferenceClip CLIP = ReferenceClip.synthetic(320, 240, 30, 30, 8);

    @Inject
    TestRelay relay;
    @Inject
    StreamRegistry registry;

    @Test
    void everyPictureIsHandedOutBeforeTheNextOneIsSent() throws Exception {
        RelayStream stream = registry.open("hold", "test");
        try (RecordingConsumer consumer = new RecordingConsumer(relay.url(""), IO_TIMEOUT)) {
            try {
                publish(stream, 0);
                consumer.follow("hold"); // it joins at the relay's cached picture 0, the IDR
                await().atMost(WITHIN).until(() -> handedOut(consumer, 0).isPresent());

                for (int picture = 1; picture < CLIP.frames(); picture++) {
                    long sentMs = publish(stream, picture);
                    int p = picture;
                    await().pollInterval(Duration.ofMillis(5)).atMost(WITHIN).until(() -> handedOut(consumer, p).isPresent());
                    long handoutMs = handedOut(consumer, picture).orElseThrow().processedMs() - sentMs;
                    System.out.printf("picture %d handed out %d ms after it was sent%n", picture, handoutMs);
                }
                assertThat(consumer.stream("hold").orElseThrow().reconnects()).as("sessions that ended and flushed a picture")
                        .isZero();
            } finally {
                registry.close(stream); // ends the session now: with its long I/O timeout, closing would wait for it
            }
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
