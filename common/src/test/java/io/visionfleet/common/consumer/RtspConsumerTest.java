package io.visionfleet.common.consumer;

import io.visionfleet.common.testing.SessionlessConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The consumer's connection lifecycle against real sockets and FFmpeg's RTSP client (no relay needed). */
@Tag("integration")
class RtspConsumerTest {
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    /** A decoded-mode consumer with the default I/O timeout that does nothing with its frames. */
    static final class IdleConsumer extends SessionlessConsumer {
        IdleConsumer(String relayUrl) {
            super(relayUrl);
        }

        IdleConsumer(ConsumerSettings settings) {
            super(settings);
        }

        @Override
        protected void onFrame(StreamSession session, DecodedFrame frame) {
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void anUnreachableRelayIsRetriedWithBackOffAndTheReasonIsReported() throws Exception {
        IdleConsumer consumer = new IdleConsumer("rtsp://127.0.0.1:" + closedPort() + "/");
        cleanup.add(consumer);
        consumer.follow("cam");
        StreamState state = consumer.stream("cam").orElseThrow();
        await().atMost(Duration.ofSeconds(30)).until(() -> state.phase() == StreamState.Phase.BACKOFF);
        assertThat(state.reconnects()).isPositive();
        assertThat(state.lastError()).startsWith("connect failed: ").doesNotContain("setFormat");
        assertThat(state.connected()).isFalse();
        assertThat(state.lastFrameAgeMs(System.currentTimeMillis())).isEqualTo(-1);
        assertThat(consumer.threadsAlive()).isTrue();
    }

    @Test
    void followingAStreamAgainRetriesItAtOnceInsteadOfWaitingOutTheBackOff() throws Exception {
        IdleConsumer consumer = new IdleConsumer("rtsp://127.0.0.1:" + closedPort() + "/");
        cleanup.add(consumer);
        consumer.follow("cam");
        StreamState state = consumer.stream("cam").orElseThrow();
        // after two failures the worker waits 4 s
        await().atMost(Duration.ofSeconds(30)).until(() -> state.reconnects() == 2 && state.phase() == StreamState.Phase.BACKOFF);
        consumer.follow("cam");
        // well inside the 4 s a waited-out back-off would take, with room for a loaded machine's FFmpeg connect (the
        // back-off is fixed, so nothing longer tells the two apart)
        await().atMost(Duration.ofMillis(3000)).until(() -> state.reconnects() == 3);
        assertThat(consumer.streams()).hasSize(1);
    }

    @Test
    void closeStopsAStreamWhoseReadIsBlockedOnASilentServer() throws Exception {
        // accepts the TCP connection and never answers: FFmpeg's RTSP request blocks until the I/O timeout, and
        // JavaCV retries a failed open once, so stopping takes up to two timeouts, 2 s with this one, well inside the
        // STOP_GRACE that close() waits for the stream's threads
        ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        List<Socket> accepted = new ArrayList<>();
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(silent.accept());
                }
            } catch (IOException e) {
                // closed by the test
            }
        });
        acceptor.start();
        cleanup.add(silent);

        IdleConsumer consumer = new IdleConsumer(new ConsumerSettings("rtsp://127.0.0.1:" + silent.getLocalPort() + "/",
                Duration.ofSeconds(1), 0));
        consumer.follow("cam");
        StreamState state = consumer.stream("cam").orElseThrow();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> !accepted.isEmpty());
        assertThat(state.phase()).isEqualTo(StreamState.Phase.CONNECTING);

        long start = System.nanoTime();
        consumer.close();
        System.out.printf("close with a read blocked: %d ms%n", Duration.ofNanos(System.nanoTime() - start).toMillis());

        assertThat(state.phase()).as("stopped within the grace close() waits").isEqualTo(StreamState.Phase.STOPPED);
        assertThatThrownBy(() -> consumer.follow("other")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void streamsAreIndependentAndUnfollowStopsOnlyTheOne() throws Exception {
        IdleConsumer consumer = new IdleConsumer("rtsp://127.0.0.1:" + closedPort() + "/");
        cleanup.add(consumer);
        consumer.follow("a");
        consumer.follow("b");
        StreamState a = consumer.stream("a").orElseThrow();
        assertThat(consumer.unfollow("a")).isTrue();
        assertThat(consumer.unfollow("a")).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> a.phase() == StreamState.Phase.STOPPED);
        assertThat(consumer.streams()).extracting(StreamState::streamId).containsExactly("b");
        assertThat(consumer.threadsAlive()).isTrue();
    }

    @Test
    void anInvalidStreamIdIsRejectedWithTheRule() {
        IdleConsumer consumer = new IdleConsumer("rtsp://127.0.0.1:1/");
        cleanup.add(consumer);
        assertThatThrownBy(() -> consumer.follow("a/b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid stream id 'a/b'");
        assertThat(consumer.streams()).isEmpty();
    }

    @Test
    void followingMoreThanTheLimitIsRefusedUntilAStreamIsUnfollowed() throws Exception {
        IdleConsumer consumer = new IdleConsumer(new ConsumerSettings("rtsp://127.0.0.1:" + closedPort() + "/",
                Duration.ofSeconds(2), 0, Duration.ZERO, Optional.empty(), 2, 0));
        cleanup.add(consumer);
        consumer.follow("a");
        consumer.follow("b");
        assertThatThrownBy(() -> consumer.follow("c")).isInstanceOf(RtspConsumer.FollowLimitReached.class)
                .hasMessageContaining("'c'").hasMessageContaining("2 streams").hasMessageContaining("max-followed");
        consumer.follow("a"); // following a followed stream again is a retry, not a new stream
        assertThat(consumer.streams()).extracting(StreamState::streamId).containsExactly("a", "b");
        consumer.unfollow("b");
        consumer.follow("c");
        assertThat(consumer.streams()).extracting(StreamState::streamId).containsExactly("a", "c");
    }
}
