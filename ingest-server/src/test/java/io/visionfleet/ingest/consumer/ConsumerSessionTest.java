package io.visionfleet.ingest.consumer;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.common.consumer.ConsumerSettings;
import io.visionfleet.common.consumer.DecodedFrame;
import io.visionfleet.common.consumer.FrameConsumer;
import io.visionfleet.common.consumer.StreamSession;
import io.visionfleet.common.consumer.StreamState;
import io.visionfleet.common.testing.BrokerResource;
import io.visionfleet.ingest.testing.ReferenceClip;
import io.visionfleet.ingest.testing.TestRelay;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stream's session against the real relay: opened on the first frame, closed exactly once when the stream went
 * idle (and a fresh one opened when it comes back), when it is unfollowed and when the consumer closes, and never
 * while a frame uses it.
 */
@QuarkusTest
@WithTestResource(BrokerResource.class)
@Tag("integration")
class ConsumerSessionTest {
    private static final String STREAM = "sessions";
    private static final Duration IDLE = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Inject
    TestRelay relay;

    /** A session that counts its frames and closes, and notes a close that overlapped a frame or a use after close. */
    static final class CountedSession implements StreamSession {
        final AtomicInteger frames = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();
        final AtomicBoolean inFrame = new AtomicBoolean();
        volatile boolean closedDuringFrame;
        volatile boolean usedAfterClose;

        @Override
        public void close() {
            closedDuringFrame |= inFrame.get();
            closes.incrementAndGet();
        }
    }

    static final class SessionConsumer extends FrameConsumer<CountedSession> {
        final List<CountedSession> opened = new CopyOnWriteArrayList<>();

        SessionConsumer(String relayUrl) {
            super(new ConsumerSettings(relayUrl, Duration.ofSeconds(2), 0, IDLE));
        }

        @Override
        protected CountedSession openSession(StreamState stream) {
            CountedSession session = new CountedSession();
            opened.add(session);
            return session;
        }

        @Override
        protected void onFrame(CountedSession session, DecodedFrame frame) {
            session.inFrame.set(true);
            session.usedAfterClose |= session.closes.get() > 0;
            session.frames.incrementAndGet();
            session.inFrame.set(false);
        }
    }

    @Test
    void aSessionLivesFromTheFirstFrameUntilIdleUnfollowOrCloseAndClosesOnce() throws Exception {
        ReferenceClip clip = ReferenceClip.synthetic(320, 240, 30, 15, 60);
        SessionConsumer consumer = new SessionConsumer(relay.url(""));
        try (consumer) {
            consumer.follow(STREAM);
            assertThat(consumer.opened).as("nothing opens before the stream delivers").isEmpty();

            try (TestRelay.FedStream fed = relay.feed(STREAM, clip)) {
                consumer.follow(STREAM); // retry now rather than after the back-off of the absent stream
                await().atMost(WAIT).until(() -> consumer.opened.size() == 1 && consumer.opened.get(0).frames.get() >= 10);
                assertThat(consumer.session(STREAM)).containsSame(consumer.opened.get(0));
            }
            // the stream is gone: a second without frames closes its session
            CountedSession first = consumer.opened.get(0);
            await().atMost(WAIT).until(() -> first.closes.get() == 1);
            assertThat(consumer.session(STREAM)).isEmpty();
            assertThat(consumer.opened).hasSize(1);

            try (TestRelay.FedStream fed = relay.feed(STREAM, clip)) {
                consumer.follow(STREAM);
                await().atMost(WAIT).until(() -> consumer.opened.size() == 2 && consumer.opened.get(1).frames.get() >= 10);
                CountedSession second = consumer.opened.get(1);
                assertThat(second).isNotSameAs(first);

                assertThat(consumer.unfollow(STREAM)).isTrue();
                await().atMost(WAIT).until(() -> second.closes.get() == 1);
                assertThat(consumer.session(STREAM)).isEmpty();

                consumer.follow(STREAM);
                await().atMost(WAIT).until(() -> consumer.opened.size() == 3 && consumer.opened.get(2).frames.get() >= 10);
            }
        }
        // close() returns once every stream's thread ended, which closed its session
        assertThat(consumer.opened).hasSize(3).allSatisfy(s -> {
            assertThat(s.closes).as("closed exactly once").hasValue(1);
            assertThat(s.closedDuringFrame).isFalse();
            assertThat(s.usedAfterClose).isFalse();
        });
    }
}
