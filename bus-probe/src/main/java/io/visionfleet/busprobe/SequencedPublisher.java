package io.visionfleet.busprobe;

import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes numbered messages at a fixed interval through the connector's {@link Emitter}, persistent and with
 * publisher confirms, and keeps each one until the broker confirmed it, as the fleet's {@code BusPublisher} does:
 * a nacked message, or one the emitter refused, is sent again a second later, and one whose confirm has not come
 * {@link #CONFIRM_TIMEOUT} after it was sent is sent again (the outbox's {@code confirm-timeout}: the connector loses
 * about one confirm per broker restart, and once the message with it), until it is {@link #MAX_AGE} old (the
 * outbox's {@code max-age}); then it is abandoned and counted.
 */
@ApplicationScoped
public class SequencedPublisher {
    private static final Logger LOG = Logger.getLogger(SequencedPublisher.class);
    static final Duration MAX_AGE = Duration.ofSeconds(60);
    /** Longer than a broker outage, during which the connector holds what was sent without confirming it. */
    static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(30);
    private static final long RESEND_DELAY_MS = 1000;

    private final Emitter<String> emitter;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "probe-publisher");
        t.setDaemon(true);
        return t;
    });
    /** Messages neither confirmed nor abandoned yet, by sequence number. */
    private final Map<Long, Pending> unconfirmed = new ConcurrentHashMap<>();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong sends = new AtomicLong();
    private final AtomicLong confirmed = new AtomicLong();
    private final AtomicLong nacked = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private volatile String run = "";
    private volatile String lastFailure = "";
    private ScheduledFuture<?> ticking;
    private ScheduledFuture<?> resending;

    /** When a message was first sent and when last (nanos). */
    private record Pending(long firstSentNanos, long lastSentNanos) {
    }

    @Inject
    public SequencedPublisher(@Channel("probe-out") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 20000)
                              Emitter<String> emitter) {
        this.emitter = emitter;
    }

    /**
     * Starts publishing {@code run}'s messages every {@code intervalMs}, numbered on from the last run's (1, 2, 3, ...
     * for the first).
     */
    public synchronized void start(String run, long intervalMs) {
        if (ticking != null) {
            throw new IllegalStateException("already publishing run " + this.run);
        }
        this.run = run;
        ticking = scheduler.scheduleAtFixedRate(() -> send(published.incrementAndGet(), System.nanoTime()),
                0, intervalMs, TimeUnit.MILLISECONDS);
        if (resending == null) {
            resending = scheduler.scheduleWithFixedDelay(this::resendTimedOut, 1, 1, TimeUnit.SECONDS);
        }
    }

    /** Stops publishing new messages; unconfirmed ones are still sent again until confirmed or abandoned. */
    public synchronized void stop() {
        if (ticking != null) {
            ticking.cancel(false);
            ticking = null;
        }
    }

    public Map<String, Object> stats() {
        return Map.of("run", run, "published", published.get(), "sends", sends.get(), "confirmed", confirmed.get(),
                "nacked", nacked.get(), "refused", refused.get(), "abandoned", abandoned.get(),
                "unconfirmed", unconfirmed.size(), "timed_out", timedOut.get(), "last_failure", lastFailure);
    }

    private void send(long seq, long firstSentNanos) {
        unconfirmed.put(seq, new Pending(firstSentNanos, System.nanoTime()));
        sends.incrementAndGet();
        Metadata metadata = Metadata.of(OutgoingRabbitMQMetadata.builder()
                .withDeliveryMode(2).withContentType("text/plain").withMessageId(run + "-" + seq).build());
        Message<String> message = Message.of(run + " " + seq, metadata)
                .withAck(() -> {
                    if (unconfirmed.remove(seq) != null) {
                        confirmed.incrementAndGet();
                    }
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(reason -> {
                    nacked.incrementAndGet();
                    retry(seq, firstSentNanos, reason);
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(message);
        } catch (RuntimeException e) {
            refused.incrementAndGet();
            retry(seq, firstSentNanos, e);
        }
    }

    private void retry(long seq, long firstSentNanos, Throwable reason) {
        String why = reason == null ? "no reason" : reason.getClass().getSimpleName() + ": " + reason.getMessage();
        if (!why.equals(lastFailure)) {
            LOG.infof("message %d not confirmed (%s); sending it again in %d ms", seq, why, RESEND_DELAY_MS);
            lastFailure = why;
        }
        if (!abandonedOld(seq, firstSentNanos)) {
            scheduler.schedule(() -> send(seq, firstSentNanos), RESEND_DELAY_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** Sends again what waited longer than {@link #CONFIRM_TIMEOUT} for a confirm that neither acked nor nacked. */
    private void resendTimedOut() {
        long now = System.nanoTime();
        unconfirmed.forEach((seq, pending) -> {
            if (now - pending.lastSentNanos() > CONFIRM_TIMEOUT.toNanos()) {
                timedOut.incrementAndGet();
                if (!abandonedOld(seq, pending.firstSentNanos())) {
                    send(seq, pending.firstSentNanos());
                }
            }
        });
    }

    /** Gives up on a message older than {@link #MAX_AGE}, as the outbox does; true when it was given up. */
    private boolean abandonedOld(long seq, long firstSentNanos) {
        if (System.nanoTime() - firstSentNanos <= MAX_AGE.toNanos()) {
            return false;
        }
        if (unconfirmed.remove(seq) != null) {
            abandoned.incrementAndGet();
        }
        return true;
    }

    @PreDestroy
    void close() {
        scheduler.shutdownNow();
    }
}
