package io.visionfleet.common.consumer;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.testing.Broker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replica's feed on the real broker carries exactly the streams it follows, as it follows and unfollows them and
 * across a new channel, while a queue on the fanout itself (a dashboard's) still gets every stream. Each check
 * publishes a last message of a followed stream behind the ones that must not arrive: messages from one channel to
 * one queue keep their order, so once the last is in, anything routed before it would be in too.
 */
@Tag("integration")
class FollowedStreamsFeedTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private final Broker broker = Broker.get();

    @Test
    void theFeedCarriesTheFollowedStreamsOnlyAndTheFanoutStillCarriesAll() throws Exception {
        String fanout = "feed-test-" + System.nanoTime();
        FollowedStreamsFeed feed = new FollowedStreamsFeed(fanout);
        try (Connection connection = broker.connect()) {
            Channel publisher = connection.createChannel();
            publisher.exchangeDeclare(fanout, "fanout", false, true, null);
            String dashboard = publisher.queueDeclare().getQueue();
            publisher.queueBind(dashboard, fanout, "");
            Received everything = Received.from(publisher, dashboard);

            feed.followed(state("cam-a"));   // before any channel: bound when the feed declares
            Channel first = connection.createChannel();
            Received feedOnFirst = Received.from(first, feed.declare(first));
            publish(publisher, fanout, "cam-b", "cam-a", "", "cam-a");
            assertThat(feedOnFirst.take(2)).containsExactly("cam-a", "cam-a");
            assertThat(everything.take(4)).containsExactly("cam-b", "cam-a", "", "cam-a");

            feed.followed(state("cam-b"));
            feed.unfollowed(state("cam-a"));
            publish(publisher, fanout, "cam-a", "cam-c", "cam-b");
            assertThat(feedOnFirst.take(1)).containsExactly("cam-b");
            assertThat(feed.streams()).containsExactly("cam-b");

            first.close();                   // a lost channel: the next one is bound for the streams followed now
            feed.followed(state("cam-c"));   // while no channel is open
            Channel second = connection.createChannel();
            Received feedOnSecond = Received.from(second, feed.declare(second));
            publish(publisher, fanout, "cam-a", "cam-c", "cam-b");
            assertThat(feedOnSecond.take(2)).containsExactly("cam-c", "cam-b");
            assertThat(feedOnFirst.all()).as("nothing more on the closed channel's queue").containsExactly("cam-a", "cam-a", "cam-b");
            assertThat(everything.take(6)).hasSize(6);
        } finally {
            try (Connection connection = broker.connect(); Channel ch = connection.createChannel()) {
                ch.exchangeDelete(Exchanges.byStream(fanout));
            }
        }
    }

    @Test
    void aFixedFeedCarriesItsStreamsIntoAQueueWithTheArgumentsGiven() throws Exception {
        String fanout = "feed-test-" + System.nanoTime();
        FollowedStreamsFeed feed = FollowedStreamsFeed.of(fanout, List.of("cam-a", "cam-c"));
        try (Connection connection = broker.connect()) {
            Channel publisher = connection.createChannel();
            publisher.exchangeDeclare(fanout, "fanout", false, true, null);
            Channel ch = connection.createChannel();
            // as ptz-service takes it: at most two messages, the oldest dropped, nothing consumed yet
            String queue = feed.declare(ch, Map.of("x-max-length", 2, "x-overflow", "drop-head"));
            publisher.confirmSelect(); // a confirmed message has been routed and queued
            publish(publisher, fanout, "cam-a", "cam-b", "cam-c", "", "cam-c");
            publisher.waitForConfirmsOrDie(DEADLINE.toMillis());
            assertThat(ch.messageCount(queue)).isEqualTo(2);
            assertThat(Received.from(ch, queue).take(2)).as("the two newest of cam-a, cam-c, cam-c")
                    .containsExactly("cam-c", "cam-c");
            assertThat(feed.streams()).containsExactlyInAnyOrder("cam-a", "cam-c");
        } finally {
            try (Connection connection = broker.connect(); Channel ch = connection.createChannel()) {
                ch.exchangeDelete(Exchanges.byStream(fanout));
            }
        }
    }

    private static StreamState state(String stream) {
        return new StreamState(stream, "rtsp://127.0.0.1:1/" + stream);
    }

    /** One message per stream id, published with it as routing key ("" for none), its body the stream id too. */
    private static void publish(Channel ch, String exchange, String... streams) throws Exception {
        for (String stream : streams) {
            ch.basicPublish(exchange, stream, null, stream.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** What a queue delivered, in order. */
    private record Received(BlockingQueue<String> bodies, List<String> seen) {
        static Received from(Channel ch, String queue) throws Exception {
            Received r = new Received(new LinkedBlockingQueue<>(), new ArrayList<>());
            ch.basicConsume(queue, true, (tag, d) -> r.bodies.add(new String(d.getBody(), StandardCharsets.UTF_8)), tag -> { });
            return r;
        }

        /** The next {@code n} bodies, each waited for up to the deadline; a missing one fails the test. */
        List<String> take(int n) throws InterruptedException {
            List<String> next = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String body = bodies.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(body).as("message %d of %d within %s (had %s)", i + 1, n, DEADLINE, next).isNotNull();
                next.add(body);
            }
            seen.addAll(next);
            return next;
        }

        /** Everything taken so far and whatever else is in. */
        List<String> all() {
            bodies.drainTo(seen);
            return seen;
        }
    }
}
