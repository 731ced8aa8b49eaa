package io.visionfleet.common.consumer;

import io.visionfleet.common.concurrent.DaemonThreads;
import io.visionfleet.common.net.Backoff;
import io.visionfleet.common.net.UrlCredentials;
import io.visionfleet.common.rtsp.CaptureClock;
import io.visionfleet.common.rtsp.RelaySession;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Pulls one stream for as long as it is followed: connect, read until the session ends, back off, reconnect.
 * The mode (decoded frames or packets) is the subclass's {@link #read} loop. Stopping never waits on the network
 * for long: a blocked read returns within one I/O timeout, and so does each step of an open (the connect, each
 * request's answer). The worker's {@link SessionSlot} holds the stream's session; the grab thread ends it as its
 * last act, once every thread that could use it has ended.
 */
abstract class StreamWorker<S extends StreamSession, R extends RelaySession> {
    private static final Logger LOG = Logger.getLogger(StreamWorker.class);

    final StreamState state;
    final ConsumerSettings settings;
    final SessionSlot<S> sessions;
    private final RtspConsumer<S> consumer;
    private final Backoff backoff = new Backoff();
    private final Semaphore wake = new Semaphore(0);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread grabThread;
    private volatile boolean stopRequested;
    private final AtomicBoolean announced = new AtomicBoolean();
    /** The last session failed because the relay cannot play the stream yet; grab thread only. */
    private boolean notReady;

    StreamWorker(RtspConsumer<S> consumer, StreamState state, ConsumerSettings settings) {
        this.consumer = consumer;
        this.state = state;
        this.settings = settings;
        this.sessions = new SessionSlot<>(state, consumer::openSession);
        this.grabThread = DaemonThreads.thread("rtsp-grab-" + state.streamId(), this::runSessions);
    }

    void start() {
        grabThread.start();
    }

    /** Asks the worker to stop; returns at once. */
    void requestStop() {
        stopRequested = true;
        wake.release();
        stopped.countDown();
    }

    /** Waits until every thread of the worker ended; false when the deadline came first. */
    boolean awaitStopped(long deadlineNanos) throws InterruptedException {
        return join(grabThread, deadlineNanos);
    }

    /**
     * Ends a back-off wait now, e.g. because the stream was just announced, and starts the back-off over: a stream
     * that is announced before its parameter sets reach the relay is retried after the initial delay, not after
     * the long one its earlier failures had built up.
     */
    void retryNow() {
        announced.set(true);
        wake.release();
    }

    /** False when a thread of this worker died although nobody asked it to stop. */
    boolean alive() {
        return stopRequested || grabThread.isAlive();
    }

    boolean stopRequested() {
        return stopRequested;
    }

    /** Waits up to {@code millis}, returning early (false) when a stop is requested. */
    boolean pause(long millis) throws InterruptedException {
        return !stopped.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Opens a session of the stream with the client the mode reads through; it is closed by the caller. */
    abstract R connect(String url) throws IOException;

    /** Reads the open session until it ends and returns why; exceptions end it too. */
    abstract String read(R session) throws IOException;

    /** Mean milliseconds the consumer took to handle one of this stream's frames, 0 before the first. */
    abstract double meanCostMs();

    /** Releases what the mode allocated, once the grab loop has ended. */
    abstract void finish() throws InterruptedException;

    /**
     * Numbers an arriving frame and stamps its capture time: from the source's RTCP sender reports when the
     * session has seen one, else the receive time (see {@link CaptureClock}). The first frame of a session
     * resets the back-off, since the connection works.
     */
    FrameMeta identify(RelaySession session, long ptsUs, boolean keyFrame, boolean firstOfSession) {
        long now = System.currentTimeMillis();
        long anchor = session.startTimeRealtimeUs();
        boolean rtcp = CaptureClock.hasRealtimeAnchor(anchor);
        CaptureClock.Source source = rtcp ? CaptureClock.Source.RTCP : CaptureClock.Source.WALL;
        long captureTs = rtcp ? CaptureClock.captureTs(anchor, ptsUs) : now;
        long number = state.frameIn(now, source);
        if (firstOfSession) {
            backoff.reset();
            LOG.infof("stream %s: first frame; capture_ts from %s", state.streamId(),
                    rtcp ? "RTCP sender reports" : "receive time (no RTCP sender report: other services will disagree)");
        }
        return new FrameMeta(state.streamId(), number, captureTs, ptsUs, keyFrame, source);
    }

    /** Why a session ended when a grab returned nothing. */
    String endOfStream() {
        return "stream ended or no data for " + settings.ioTimeout().toMillis() + " ms";
    }

    /** Counts a frame the subclass failed to handle; logs the first with its stack and then every 100th. */
    void handlingFailed(Exception e) {
        state.processingFailed();
        long failures = state.processingErrors();
        if (failures == 1) {
            LOG.errorf(e, "stream %s: handling a frame failed", state.streamId());
        } else if (failures % 100 == 0) {
            LOG.errorf("stream %s: %d frames failed handling, latest: %s", state.streamId(), failures, e);
        }
    }

    private void runSessions() {
        String url = settings.sessionUrl(state.streamId());
        try {
            while (!stopRequested) {
                state.phase(StreamState.Phase.CONNECTING);
                String endReason = session(url);
                if (stopRequested) {
                    break;
                }
                // before the state says BACKOFF: a retryNow from then on must end the wait below, not be drained
                // (one during the session only resets the back-off)
                wake.drainPermits();
                state.sessionEnded(endReason);
                state.phase(StreamState.Phase.BACKOFF);
                if (announced.getAndSet(false)) {
                    backoff.reset();
                }
                Duration delay = notReady ? backoff.nextDelayNotReady(System.nanoTime()) : backoff.nextDelay();
                // quick retries of a stream about to start would fill the log
                LOG.logf(delay.equals(Backoff.NOT_READY_RETRY) ? Logger.Level.DEBUG : Logger.Level.INFO,
                        "stream %s: %s; reconnecting in %d ms", state.streamId(), endReason, delay.toMillis());
                if (!stopRequested) {
                    wake.tryAcquire(delay.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                finish();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sessions.end();
            state.phase(StreamState.Phase.STOPPED);
            LOG.infof("stream %s: stopped", state.streamId());
        }
    }

    private String session(String url) {
        R session = null;
        notReady = false;
        try {
            session = connect(url);
            state.phase(StreamState.Phase.STREAMING);
            LOG.infof("stream %s: connected to %s", state.streamId(), state.url());
            R open = session;
            sessions.use(s -> consumer.onConnected(s, open.formatContext()));
            return read(session);
        } catch (IOException | RuntimeException e) {
            boolean opened = session != null;
            notReady = !opened && RelaySession.notReadyYet(e);
            return (opened ? "session failed: " : notReady ? "not ready yet: " : "connect failed: ") + reason(e);
        } finally {
            if (session != null) {
                disconnected();
                try {
                    session.close();
                } catch (IOException | RuntimeException e) {
                    LOG.debugf("stream %s: release: %s", state.streamId(), e.getMessage());
                }
            }
        }
    }

    private void disconnected() {
        try {
            sessions.useIfOpen(s -> consumer.onDisconnected(s, stopRequested));
        } catch (RuntimeException e) {
            LOG.warnf(e, "stream %s: onDisconnected failed", state.streamId());
        }
    }

    /** The exception's message without any password it quotes. */
    private static String reason(Exception e) {
        return UrlCredentials.redact(String.valueOf(e.getMessage()));
    }

    static boolean join(Thread thread, long deadlineNanos) throws InterruptedException {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining > 0) {
            TimeUnit.NANOSECONDS.timedJoin(thread, remaining);
        }
        return !thread.isAlive();
    }
}
