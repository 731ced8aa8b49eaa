package io.visionfleet.common.consumer;

import io.visionfleet.common.bus.BusConnection;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.messages.StreamEvent;
import io.visionfleet.common.testing.Broker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Stream events on the real broker start and stop a real consumer's streams. */
@Tag("integration")
class StreamEventFollowerTest {
    /** Far above the milliseconds an event takes through the local broker. */
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private final Broker broker = Broker.get();
    private final BusConnection bus = new BusConnection(broker.busConfig(), "test");
    // nothing listens on port 1: followed streams only retry, which is all this test needs
    private final RtspConsumerTest.IdleConsumer consumer = new RtspConsumerTest.IdleConsumer("rtsp://127.0.0.1:1/");
    private final StreamEventFollower follower = new StreamEventFollower(bus, consumer, Set.of("pinned-cam"));

    @AfterEach
    void close() {
        follower.close();
        consumer.close();
    }

    private void announce(String event, String streamId) throws Exception {
        String url = "rtsp://relay:8554/" + streamId;
        long now = System.currentTimeMillis();
        StreamEvent message = switch (event) {
            case StreamEvent.STARTED -> StreamEvent.started(streamId, url, "test", now);
            case StreamEvent.ACTIVE -> StreamEvent.active(streamId, url, "test", now);
            default -> StreamEvent.stopped(streamId, url, "test", now);
        };
        try (Broker.Tap tap = broker.tap(Exchanges.STREAM_EVENTS)) {
            tap.publishRaw(Exchanges.STREAM_EVENTS, Json.MAPPER.writeValueAsBytes(message));
        }
    }

    @Test
    void startedStreamsAreFollowedAndStoppedOnesDroppedExceptPinnedOnes() throws Exception {
        assertThat(follower.subscribe()).isTrue();
        String id = "evt-" + System.nanoTime();
        announce(StreamEvent.STARTED, id);
        announce(StreamEvent.STARTED, "pinned-cam");
        await().atMost(DEADLINE).until(() -> consumer.stream(id).isPresent()
                && consumer.stream("pinned-cam").isPresent());

        // in this order, the pinned stream's event has been handled once the other one's has
        announce(StreamEvent.STOPPED, "pinned-cam");
        announce(StreamEvent.STOPPED, id);
        await().atMost(DEADLINE).until(() -> consumer.stream(id).isEmpty());
        assertThat(consumer.stream("pinned-cam")).as("configured streams stay followed").isPresent();
    }

    @Test
    void aStreamAnnouncedAsActiveIsFollowedByAServiceThatMissedItsStart() throws Exception {
        assertThat(follower.subscribe()).isTrue();
        String id = "active-" + System.nanoTime();
        announce(StreamEvent.ACTIVE, id);
        await().atMost(DEADLINE).until(() -> consumer.stream(id).isPresent());
        announce(StreamEvent.ACTIVE, id);
        announce(StreamEvent.STOPPED, id);
        await().atMost(DEADLINE).until(() -> consumer.stream(id).isEmpty());
    }

    @Test
    void malformedEventsAreIgnoredAndLaterOnesStillHandled() throws Exception {
        assertThat(follower.subscribe()).isTrue();
        try (Broker.Tap tap = broker.tap(Exchanges.STREAM_EVENTS)) {
            tap.publishRaw(Exchanges.STREAM_EVENTS, "{not json".getBytes(StandardCharsets.UTF_8));
            tap.publishRaw(Exchanges.STREAM_EVENTS,
                    "{\"schema\":\"stream_event/1\",\"event\":\"stream.started\",\"stream_id\":\"../etc\"}".getBytes(StandardCharsets.UTF_8));
        }
        String id = "after-garbage-" + System.nanoTime();
        announce(StreamEvent.STARTED, id);
        await().atMost(DEADLINE).until(() -> consumer.stream(id).isPresent());
        assertThat(consumer.streams()).extracting(StreamState::streamId).containsExactly(id);
    }
}
