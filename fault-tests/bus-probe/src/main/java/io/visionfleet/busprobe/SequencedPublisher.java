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
 * {@link #CONFIRM_TIMEOUT} after it was sent is sent again (the connector loses about one confirm per broker restart,
 * and once the message with it; the outbox, on the raw client, loses none and resends only what a lost connection
 * left unconfirmed). Unlike the outbox it never gives a message up:
 * the probe measures what the connector loses, and a message given up for its age (two lost confirms and two broker
 * outages can take a minute) would count as lost by the connector.
 */
@ApplicationScoped
public class SequencedPublisher {
    private static final Logger LOG = Logger.getLogger(SequencedPublisher.class);
    /** Longer than a broker outage, during which the connector holds what was sent without confirming it. */
    static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(30);
    private static final long RESEND_DELAY_MS = 1000;

    private final Emitter<String> emitter;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "probe-publisher");
        t.setDaemon(true);
        return t;
    });
    /** When each message not confirmed yet was last sent (nanos), by sequence number. */
    private final Map<Long, Long> unconfirmed = new ConcurrentHashMap<>();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong sends = new AtomicLong();
    private final AtomicLong confirmed = new AtomicLong();
    private final AtomicLong nacked = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private volatile String run = "";
    private volatile String lastFailure = "";
    private ScheduledFuture<?> ticking;
    private ScheduledFuture<?> resending;

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
        ticking = scheduler.scheduleAtFixedRate(() -> send(published.incrementAndGet()),
                0, intervalMs, TimeUnit.MILLISECONDS);
        if (resending == null) {
            resending = scheduler.scheduleWithFixedDelay(this::resendTimedOut, 1, 1, TimeUnit.SECONDS);
        }
    }

    /** Stops publishing new messages; unconfirmed ones are still sent again until confirmed. */
    public synchronized void stop() {
        if (ticking != null) {
            ticking.cancel(false);
            ticking = null;
        }
    }

    public Map<String, Object> stats() {
        return Map.of("run", run, "published", published.get(), "sends", sends.get(), "confirmed", confirmed.get(),
                "nacked", nacked.get(), "refused", refused.get(),
                "unconfirmed", unconfirmed.size(), "timed_out", timedOut.get(), "last_failure", lastFailure);
    }

    private void send(long seq) {
        unconfirmed.put(seq, System.nanoTime());
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
                    retry(seq, reason);
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(message);
        } catch (RuntimeException e) {
            refused.incrementAndGet();
            retry(seq, e);
        }
    }

    private void retry(long seq, Throwable reason) {
        String why = reason == null ? "no reason" : reason.getClass().getSimpleName() + ": " + reason.getMessage();
        if (!why.equals(lastFailure)) {
            LOG.infof("message %d not confirmed (%s); sending it again in %d ms", seq, why, RESEND_DELAY_MS);
            lastFailure = why;
        }
        scheduler.schedule(() -> send(seq), RESEND_DELAY_MS, TimeUnit.MILLISECONDS);
    }

    /** Sends again what waited longer than {@link #CONFIRM_TIMEOUT} for a confirm that neither acked nor nacked. */
    private void resendTimedOut() {
        long now = System.nanoTime();
        unconfirmed.forEach((seq, lastSentNanos) -> {
            if (now - lastSentNanos > CONFIRM_TIMEOUT.toNanos()) {
                timedOut.incrementAndGet();
                send(seq);
            }
        });
    }

    @PreDestroy
    void close() {
        scheduler.shutdownNow();
    }
}
