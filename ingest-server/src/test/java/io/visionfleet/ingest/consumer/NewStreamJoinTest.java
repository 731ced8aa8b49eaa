package io.visionfleet.ingest.consumer;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.consumer.StreamState;
import io.visionfleet.common.h264.VideoCodec;
import io.visionfleet.common.messages.StreamEvent;
import io.visionfleet.common.testing.Broker;
import io.visionfleet.common.testing.BrokerResource;
import io.visionfleet.ingest.relay.RelayStream;
import io.visionfleet.ingest.stream.StreamRegistry;
import io.visionfleet.ingest.testing.PacedFeed;
import io.visionfleet.ingest.testing.ReferenceClip;
import io.visionfleet.ingest.testing.TestRelay;
import io.visionfleet.ingest.testing.WsClient;
import io.visionfleet.sim.publish.AnnexBSender;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Issue 21: a consumer that follows a stream when it starts gets it from its first picture. The stream is announced
 * only once the relay can play it, and a consumer that asks too early is not kept waiting for its back-off. The feeds
 * publish one GOP only, so its IDR stays the relay's cached picture however long a busy machine takes to join; how
 * long the join took is printed, not asserted.
 */
@QuarkusTest
@WithTestResource(BrokerResource.class)
@Tag("integration")
class NewStreamJoinTest {
    private static final Duration WITHIN = Duration.ofSeconds(15);
    /** One GOP: the stream's first IDR and what follows it. */
    private static final ReferenceClip CLIP = ReferenceClip.synthetic(320, 240, 30, 30, 30);

    @Inject
    TestRelay relay;
    @Inject
    StreamRegistry registry;

    @Test
    void aConsumerThatFollowsTheAnnouncementStartsAtTheFirstIdr() throws Exception {
        // the publisher goes first, closing the stream: the consumer then stops at once, not after its I/O timeout
        try (Broker.Tap events = Broker.get().tap(Exchanges.STREAM_EVENTS);
             RecordingConsumer consumer = new RecordingConsumer(relay.url(""));
             WsClient publisher = WsClient.connect("/ws/video/join1")) {
            publisher.sendText(AnnexBSender.configJson(320, 240, 30, VideoCodec.H264));
            assertThat(publisher.reply(WITHIN)).as("the server has opened the stream").contains("ack");
            assertThatThrownBy(() -> events.poll(Duration.ofMillis(300), m -> isStarted(m, "join1")))
                    .as("a stream without pictures is not announced").isInstanceOf(AssertionError.class);

            try (PacedFeed feed = PacedFeed.announcedOver(publisher, CLIP, CLIP.frames())) {
                events.poll(WITHIN, m -> isStarted(m, "join1"));
                consumer.follow("join1"); // what StreamEventFollower does with the announcement
                await().atMost(WITHIN).until(() -> !consumer.seen().isEmpty());

                RecordingConsumer.Seen first = consumer.seen().get(0);
                long joinMs = first.processedMs() - feed.captureTs(0);
                System.out.printf("join1: first frame picture %d, %d ms after the first picture was sent%n",
                        CLIP.pictureOf(first.digest()), joinMs);
                assertThat(CLIP.pictureOf(first.digest())).as("the consumer's first frame is the stream's first IDR").isZero();
                assertThat(first.captureTs()).isCloseTo(feed.captureTs(0), within(1L));
            }
        }
    }

    @Test
    void aConsumerThatAsksBeforeTheStreamCanBePlayedRetriesAtOnce() throws Exception {
        RelayStream stream = registry.open("join2", "test");
        try (RecordingConsumer consumer = new RecordingConsumer(relay.url(""))) {
            try {
                consumer.follow("join2");
                // the relay answered 503: the stream is open but has no SPS/PPS
                await().atMost(WITHIN).until(() -> consumer.stream("join2").map(StreamState::lastError).isPresent());
                // taken for "not ready yet", which is retried every 50 ms (BackoffTest), not after the 2 s back-off
                assertThat(consumer.stream("join2").orElseThrow().lastError()).startsWith("not ready yet");

                try (PacedFeed feed = PacedFeed.into(stream, CLIP, CLIP.frames())) {
                    await().atMost(WITHIN).until(() -> !consumer.seen().isEmpty());

                    RecordingConsumer.Seen first = consumer.seen().get(0);
                    long joinMs = first.processedMs() - feed.captureTs(0);
                    System.out.printf("join2: first frame picture %d, %d ms after the first picture was published%n",
                            CLIP.pictureOf(first.digest()), joinMs);
                    assertThat(CLIP.pictureOf(first.digest())).as("no picture missed").isZero();
                }
            } finally {
                registry.close(stream); // ends the session: the consumer then stops at once, not after its I/O timeout
            }
        }
    }

    private static boolean isStarted(JsonNode event, String id) {
        return StreamEvent.STARTED.equals(event.path("event").asText()) && id.equals(event.path("stream_id").asText());
    }
}
