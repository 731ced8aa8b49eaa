package io.visionfleet.common.bus;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.visionfleet.common.concurrent.DaemonThreads;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes message records as JSON to fanout exchanges without ever making the caller wait for the broker:
 * {@link #publish} serialises the message into a bounded {@link Outbox}, and one sender thread hands it, oldest first,
 * to the exchange's outgoing channel of SmallRye Reactive Messaging's RabbitMQ connector, which publishes with
 * publisher confirms and reconnects on its own. A message counts as sent only once the broker confirmed it; one the
 * broker or connector refused, or whose confirm has not come within {@code confirm-timeout} of connected time (the
 * connector holds what it was given while the broker is away, and loses about one confirm per broker restart), goes
 * back to the head of the outbox and is sent again a moment later, so a message may arrive twice but is not lost
 * while the outbox bounds allow (the archive de-duplicates). A confirm the connector reports before it published the
 * message ({@link ConfirmBeforePublish}) is not trusted: that message is sent again at once. At most {@link #WINDOW} messages are with the connector
 * at a time; the rest wait in the outbox, whose bounds count what they drop.
 *
 * <p>Meters: {@code fleet_bus_messages_total{exchange, outcome=enqueued|confirmed|confirmed_before_publish}}, {@code
 * fleet_bus_outbox_dropped_total{reason=full|expired}}, {@code fleet_bus_outbox_messages}, {@code
 * fleet_bus_outbox_bytes}.
 */
@ApplicationScoped
public class BusPublisher {
    private static final Logger LOG = Logger.getLogger(BusPublisher.class);
    private static final int BATCH = 256;
    /** Messages handed to the connector and not yet confirmed, at most (its own max-inflight-messages is 1024). */
    private static final int WINDOW = 1024;
    /** Longest wait of the sender for a message or room in the window, so it notices timeouts and a stop. */
    private static final Duration POLL = Duration.ofSeconds(1);
    /** Pause after a refusal before sending more: the broker is away, and the outbox holds what waits. */
    private static final Duration RETRY = Duration.ofSeconds(1);
    /** How long a stopping service keeps sending what its outbox holds. */
    private static final Duration DRAIN = Duration.ofSeconds(3);

    /**
     * A message handed to the connector: settled once, by its confirm, its refusal or its timeout. Its deadline moves
     * on while its channel is disconnected, since the connector then holds it and sends it once reconnected.
     */
    private record Sent(Outbox.Message message, AtomicLong deadlineNanos, AtomicBoolean settled) {
    }

    private final BusConnection bus;
    private final ConnectorChannels channels;
    private final Duration confirmTimeout;
    private final Outbox outbox;
    private final DropReport drops;
    private final MeterRegistry registry;
    private final Map<String, ExchangeEmitter> routes = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> enqueued = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> confirmed = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> confirmedEarly = new ConcurrentHashMap<>();
    private final Set<Sent> unconfirmed = ConcurrentHashMap.newKeySet();
    private final Queue<Outbox.Message> refused = new ConcurrentLinkedQueue<>();
    /** Whether the broker or the connector refused a message since the last return: the sender then pauses. */
    private final AtomicBoolean refusal = new AtomicBoolean();
    private final Semaphore window = new Semaphore(WINDOW);
    private final Thread sender;
    private volatile boolean stopped;
    private volatile String lastRefusal;

    public BusPublisher(BusConnection bus, ConnectorChannels channels, BusConfig config, MeterRegistry registry) {
        this.bus = bus;
        this.channels = channels;
        this.registry = registry;
        BusConfig.OutboxConfig limits = config.outbox();
        this.confirmTimeout = limits.confirmTimeout();
        this.outbox = new Outbox(limits.maxMessages(), limits.maxBytes(), limits.maxAge(), System::nanoTime);
        this.drops = new DropReport(outbox, limits.maxMessages(), limits.maxAge());
        Exchanges.ALL.forEach(exchange -> {
            counter(enqueued, exchange, "enqueued");
            counter(confirmed, exchange, "confirmed");
            counter(confirmedEarly, exchange, "confirmed_before_publish");
        });
        FunctionCounter.builder("fleet.bus.outbox.dropped", outbox, Outbox::droppedFull).tag("reason", "full")
                .description("Messages dropped because the outbox was full").register(registry);
        FunctionCounter.builder("fleet.bus.outbox.dropped", outbox, Outbox::droppedExpired).tag("reason", "expired")
                .description("Messages dropped because they waited longer than the outbox's max-age").register(registry);
        Gauge.builder("fleet.bus.outbox.messages", outbox, Outbox::size)
                .description("Messages waiting to be sent or confirmed").register(registry);
        Gauge.builder("fleet.bus.outbox.bytes", outbox, Outbox::bytes).baseUnit("bytes")
                .description("Bytes of message bodies waiting to be sent").register(registry);
        sender = DaemonThreads.thread("bus-publisher", this::sendLoop);
        sender.start();
    }

    /**
     * Serialises {@code message} and queues it for {@code to}'s exchange; never waits for the broker. Returns false
     * only once the service is stopping, when nothing is sent any more.
     */
    public boolean publish(ExchangeEmitter to, Object message) {
        String exchange = to.exchange();
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("message not serialisable: " + message.getClass(), e);
        }
        if (stopped) {
            return false;
        }
        routes.putIfAbsent(exchange, to);
        counter(enqueued, exchange, "enqueued").incrementAndGet();
        outbox.add(exchange, body);
        return true;
    }

    /** Messages waiting in the outbox, not yet confirmed by the broker. */
    public int pending() {
        return outbox.size();
    }

    /** Messages the outbox dropped, full or expired. */
    public long dropped() {
        return outbox.droppedFull() + outbox.droppedExpired();
    }

    /** Sends what the outbox holds for a few seconds more, then stops; before the connector closes. */
    void onStop(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER) ShutdownEvent event) throws InterruptedException {
        if (bus.isOpen()) {
            outbox.awaitEmpty(DRAIN);
        }
        stopped = true;
        sender.interrupt();
        sender.join(DRAIN.toMillis());
        drops.check();
        if (outbox.size() > 0) {
            LOG.warnf("stopping with %d messages unsent (broker %s)", outbox.size(), bus.isOpen() ? "slow" : "unreachable");
        }
    }

    private void sendLoop() {
        while (!stopped) {
            try {
                drops.check();
                timeOutConfirms();
                if (returnRefused() && refusal.getAndSet(false)) {
                    TimeUnit.MILLISECONDS.sleep(RETRY.toMillis());
                }
                if (window.tryAcquire(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                    window.release();
                    outbox.take(Math.min(BATCH, window.availablePermits()), POLL).forEach(this::send);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void send(Outbox.Message m) {
        window.acquireUninterruptibly(); // never waits: only this thread takes permits, and it checked the room
        Sent sent = new Sent(m, new AtomicLong(System.nanoTime() + confirmTimeout.toNanos()), new AtomicBoolean());
        unconfirmed.add(sent);
        routes.get(m.exchange()).send(m.body()).whenComplete((ok, failure) -> settle(sent, failure));
    }

    /** Records a message's outcome once: confirmed, or refused and due to go back to the outbox. */
    private void settle(Sent sent, Throwable failure) {
        if (!sent.settled().compareAndSet(false, true)) {
            return; // a confirm that came after its timeout: the message was sent again already
        }
        unconfirmed.remove(sent);
        window.release();
        Outbox.Message m = sent.message();
        if (failure == null) {
            outbox.confirmed(List.of(m));
            counter(confirmed, m.exchange(), "confirmed").incrementAndGet();
            lastRefusal = null;
            return;
        }
        refused.add(m);
        if (failure instanceof ConfirmBeforePublish) { // the broker is there: no pause
            counter(confirmedEarly, m.exchange(), "confirmed_before_publish").incrementAndGet();
            return;
        }
        refusal.set(true);
        String why = BusConnection.reason(failure);
        if (!why.equals(lastRefusal)) {
            LOG.debugf("a message to %s was not confirmed (%s); it waits in the outbox", m.exchange(), why);
            lastRefusal = why;
        }
    }

    private void timeOutConfirms() {
        if (unconfirmed.isEmpty()) {
            return;
        }
        Set<String> disconnected = channels.disconnected();
        long now = System.nanoTime();
        for (Sent s : unconfirmed) {
            if (disconnected.contains(s.message().exchange())) {
                s.deadlineNanos().set(now + confirmTimeout.toNanos());
            } else if (now > s.deadlineNanos().get()) {
                settle(s, new TimeoutException("no publisher confirm within " + confirmTimeout));
            }
        }
    }

    /** Puts refused messages back at the head of the outbox, oldest first; true if there were any. */
    private boolean returnRefused() {
        List<Outbox.Message> back = new ArrayList<>();
        for (Outbox.Message m; (m = refused.poll()) != null; ) {
            back.add(m);
        }
        if (back.isEmpty()) {
            return false;
        }
        back.sort(Comparator.comparingLong(Outbox.Message::enqueuedNanos));
        outbox.putBack(back);
        return true;
    }

    /** The counter of {@code exchange} in {@code counters}, registered on first use. */
    private AtomicLong counter(Map<String, AtomicLong> counters, String exchange, String outcome) {
        return counters.computeIfAbsent(exchange, e -> {
            AtomicLong count = new AtomicLong();
            FunctionCounter.builder("fleet.bus.messages", count, AtomicLong::get).tag("exchange", e)
                    .tag("outcome", outcome).description("Messages published: enqueued by the service, confirmed by the broker")
                    .register(registry);
            return count;
        });
    }
}
