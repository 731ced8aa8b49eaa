package io.visionfleet.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.testing.Broker;
import io.visionfleet.common.testing.ServiceProcess;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The design card's connector, SmallRye Reactive Messaging's RabbitMQ connector ({@code quarkus-messaging-rabbitmq}),
 * through connections closed by the broker and through the same two broker restarts as {@link BrokerRestartTest}
 * puts the fleet's raw client through. The {@code bus-probe} application runs as a process: it publishes a numbered
 * message every 20 ms through an {@code Emitter} (persistent, publisher confirms, resent on a nack or when no confirm
 * came within 30 s) to a durable fanout exchange and consumes two durable queues bound to it with {@code @Incoming},
 * appending each message to a file per queue: one consumer acknowledges each message at once, the other 2 s later (as
 * the archive acknowledges only once its lines are on disk).
 *
 * <p>The connector acknowledges a delivery tag on its client's current channel, whichever channel delivered it
 * ({@code ClientHolder.getAck}). The first test has the broker close the probe's connections, which the connector
 * reopens within the late consumer's delay, kills the probe once a stale acknowledgement has taken a message the
 * probe had not acknowledged, and asks the broker what it still holds. The second counts the files after the
 * restarts: messages lost, received twice, and confirms that never came.
 *
 * <p>The figures go to docs/decisions/0001-raw-amqp-client.md. What they show of the connector are races
 * (whether a reconnect beats the late acknowledgement, whether a confirm of the next channel meets a message sent into
 * the dying one) in a library the fleet publishes and acknowledges without, so they are printed, not asserted; the
 * publisher's defect behind the lost messages is held deterministically by {@code ConnectorPublisherConfirmTest}.
 * Asserted is what holds whatever the timing: the probe recovers, nothing is lost between the queues and a consumer,
 * and duplicates stay within the unacknowledged window.
 *
 * <p>An experiment, not a check of the fleet (two minutes of broker restarts): it runs only with
 * {@code -Dfleet.experiments=true}. The fleet's own connector channel, frame-processor's prompts, is held through the
 * restarts by {@link BrokerRestartTest}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("integration")
class ConnectorBrokerRestartTest {
    private static final String RUN = "probe" + System.currentTimeMillis() % 1_000_000;
    private static final String QUEUE = "faults.bus_probe." + RUN;
    private static final String LATE_QUEUE = QUEUE + ".late";
    private static final int HTTP_PORT = 20960;
    private static final Duration DOWNTIME = Duration.ofSeconds(15);
    /** The probe publishes a message this often. */
    private static final long INTERVAL_MS = 20;
    private static final long MESSAGES_PER_SECOND = 1000 / INTERVAL_MS;
    /** The probe's mp.messaging.incoming.probe-in.max-outstanding-messages. */
    private static final long OUTSTANDING = 100;
    private static final Duration RECOVERY_DEADLINE = Duration.ofSeconds(60);
    /** Messages received after each restart before the next, about five seconds at 50 a second. */
    private static final int RECEIVED_BETWEEN = 250;
    /** Connections closed by the broker at most, until a stale acknowledgement takes a message. */
    private static final int CONNECTION_CLOSES = 3;
    /** The connector names its connections after the channel: "probe-in (Incoming)", "probe-out (Outgoing)". */
    private static final Predicate<BrokerControl.ClientConnection> PROBE_CONNECTIONS =
            c -> c.clientProperties().contains("\"connection_name\",\"probe-");
    /** The probe's probe.late-ack. */
    private static final Duration LATE_ACK = Duration.ofSeconds(2);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static ServiceProcess process;
    private static ServiceProbe probe;
    private static Path receivedFile;
    private static Path lateFile;

    /**
     * One restart: timings after {@code start_app}, and the numbers published from a second before {@code stop_app}
     * until the probe saw the broker gone ({@code [firstAtStop, lastAtStop]}), when a dying connection takes messages.
     */
    private record Restart(long brokerUpMs, long readyMs, long receivingMs, long firstAtStop, long lastAtStop) {
        boolean around(long seq) {
            return seq >= firstAtStop && seq <= lastAtStop;
        }
    }

    @BeforeAll
    static void startProbe() throws IOException {
        Assumptions.assumeTrue(Boolean.getBoolean("fleet.experiments"),
                "an experiment on a library the fleet publishes without: run it with -Dfleet.experiments=true");
        BrokerControl.assumeControllable();
        Path work = Files.createDirectories(Path.of("target", "connector-restart-" + RUN)).toAbsolutePath();
        receivedFile = work.resolve("received.txt");
        lateFile = work.resolve("late.txt");
        Broker broker = Broker.get();
        Map<String, String> config = new HashMap<>(Map.of(
                "rabbitmq-host", broker.host(), "rabbitmq-port", Integer.toString(broker.port()),
                "rabbitmq-username", broker.username(), "rabbitmq-password", broker.password(),
                "probe.received-file", receivedFile.toString(), "probe.late-file", lateFile.toString(),
                "probe.late-ack", LATE_ACK.toSeconds() + "s",
                "mp.messaging.incoming.probe-in.queue.name", QUEUE,
                "mp.messaging.incoming.probe-late.queue.name", LATE_QUEUE));
        // the probe is a module inside fault-tests (fault-tests/bus-probe), not a sibling
        Path jar = Path.of(System.getProperty("fleet.test.bus-probe-jar",
                "bus-probe/target/quarkus-app/quarkus-run.jar"));
        process = ServiceProcess.start("bus-probe", jar, HTTP_PORT, "256m", config);
        probe = new ServiceProbe("bus-probe", process.baseUri());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(probe::ready);
    }

    @AfterAll
    static void stopProbe() throws Exception {
        BrokerControl.startApp(); // whatever happened, leave the broker running
        if (process != null) {
            process.close();
        }
        BrokerControl.awaitUp(Duration.ofSeconds(60));
        try (Connection c = Broker.get().connect(); Channel ch = c.createChannel()) {
            ch.queueDelete(QUEUE);
            ch.queueDelete(LATE_QUEUE);
        }
    }

    @Test
    @Order(2)
    void theConnectorThroughTwoBrokerRestarts() throws Exception {
        post("/probe/start?interval-ms=" + INTERVAL_MS + "&run=" + RUN);
        awaitReceived(RECEIVED_BETWEEN, RECOVERY_DEADLINE);
        List<Restart> restarts = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            restarts.add(restartBroker());
        }
        post("/probe/stop");
        long published = stats().path("published").asLong();
        // settle: everything published received; a message whose confirm never came is resent 30 s after it was sent
        try {
            await().atMost(Duration.ofSeconds(50)).pollInterval(Duration.ofMillis(500))
                    .until(() -> ReceivedLines.read(receivedFile, RUN).distinct() >= published
                            && ReceivedLines.read(lateFile, RUN).distinct() >= published);
        } catch (ConditionTimeoutException e) {
            // counted below as lost
        }
        JsonNode stats = stats();
        ReceivedLines lines = ReceivedLines.read(receivedFile, RUN);
        ReceivedLines late = ReceivedLines.read(lateFile, RUN);
        long lost = published - lines.distinct();
        long unconfirmed = stats.path("unconfirmed").asLong();

        System.out.printf("connector (quarkus-messaging-rabbitmq 3.30.6, smallrye-reactive-messaging-rabbitmq 4.31.0)"
                + " through %d broker restarts of %d s:%n", restarts.size(), DOWNTIME.toSeconds());
        for (int i = 0; i < restarts.size(); i++) {
            Restart r = restarts.get(i);
            System.out.printf("restart %d: broker up %d ms after start_app; probe ready %d ms, receiving again %d ms"
                    + " after start_app (-1: never within %d s)%n", i + 1, r.brokerUpMs(), r.readyMs(), r.receivingMs(),
                    RECOVERY_DEADLINE.toSeconds());
        }
        System.out.printf("published %d, received %d distinct (%d lines), lost %d, received twice %d; publisher: %d"
                        + " confirmed, %d nacked, %d refused by the emitter, %d confirms timed out, %d resends,"
                        + " %d never confirmed nor nacked; last failure: %s%n",
                published, lines.distinct(), lines.lines(), lost, lines.duplicated(), stats.path("confirmed").asLong(),
                stats.path("nacked").asLong(), stats.path("refused").asLong(), stats.path("timed_out").asLong(),
                stats.path("sends").asLong() - published, unconfirmed, stats.path("last_failure").asText());
        // missing from one queue only: lost on the way to that consumer; from both: never reached the queues
        List<Long> missing = lines.missing(published);
        List<Long> missingLate = late.missing(published);
        List<Long> fromBoth = missing.stream().filter(missingLate::contains).toList();
        List<Long> fromOne = new ArrayList<>(missing);
        fromOne.addAll(missingLate);
        fromOne.removeAll(fromBoth);
        System.out.printf("missing from the immediate consumer: %s; from the late one: %s%n", missing, missingLate);
        System.out.printf("late consumer (acknowledges %s after writing): received %d distinct (%d lines), lost %d,"
                + " received twice %d; %s%n", LATE_ACK, late.distinct(), late.lines(), published - late.distinct(),
                late.duplicated(), ackFigures(stats));
        assertThat(restarts).as("the probe became ready and received again after each restart")
                .allMatch(r -> r.readyMs() >= 0 && r.receivingMs() >= 0);
        assertThat(published).as("messages published across the run").isGreaterThan(3L * RECEIVED_BETWEEN);
        assertThat(fromOne).as("messages lost on the way to one consumer").isEmpty();
        // the connector's publisher matches confirms by delivery tag alone, so now and then a message sent into the
        // dying connection is settled by a confirm of the next channel and reaches neither queue (287 of 2557 in one
        // run; docs/decisions/0001-raw-amqp-client.md): a race of a library the fleet does not publish with, printed
        System.out.printf("confirmed and in neither queue: %s, of them sent around a stop: %s (published around each"
                + " stop: %s)%n", fromBoth, fromBoth.stream().filter(seq -> restarts.stream().anyMatch(r -> r.around(seq)))
                .toList(), restarts.stream().map(r -> "[" + r.firstAtStop() + ", " + r.lastAtStop() + "]").toList());
        // like the raw client, the connector delivers at least once: an acknowledgement lost with the connection
        // brings its message again (seen: 1 in one run of three), and a message whose confirm never came is sent
        // again, which is why the archive de-duplicates; at most the unacknowledged window (max-outstanding-messages)
        // per restart, plus what the publisher resent
        assertThat(lines.duplicated()).as("messages received twice")
                .isLessThanOrEqualTo(restarts.size() * OUTSTANDING + stats.path("sends").asLong() - published);
    }

    /**
     * The broker closes the probe's connections while the late consumer holds messages, and the probe is killed (as a
     * crash) as soon as a stale acknowledgement seems to have taken a message the probe has not acknowledged itself (or
     * after {@link #CONNECTION_CLOSES} closes). The broker gives back every message still unacknowledged when a
     * connection dies; a taken message it no longer holds was dropped on another message's tag before the consumer was
     * done with it (an archive would lose it in a crash). Measured so far: the stale tags reach the broker and it closes
     * the channel on them, again and again; no message was caught taken (docs/decisions/0001-raw-amqp-client.md).
     * Whether a stale tag arises at all depends on the connector reconnecting within {@link #LATE_ACK}, a race: the
     * figures are printed.
     */
    @Test
    @Order(1)
    void lateAcknowledgementsThroughConnectionsTheBrokerCloses() throws Exception {
        String run = RUN + "crash";
        post("/probe/start?interval-ms=" + INTERVAL_MS + "&run=" + run);
        await().atMost(RECOVERY_DEADLINE).pollInterval(Duration.ofMillis(200))
                .until(() -> ReceivedLines.read(lateFile, run).distinct() >= RECEIVED_BETWEEN);
        JsonNode taken;
        int attempts = 0;
        do {
            attempts++;
            assertThat(BrokerControl.closeConnections(PROBE_CONNECTIONS, "fault test: closed by the broker"))
                    .as("probe connections closed").isGreaterThanOrEqualTo(2);
            taken = awaitDroppedUnacked(LATE_ACK.plusSeconds(5));
        } while (taken == null && attempts < CONNECTION_CLOSES);
        JsonNode atKill = stats();
        process.kill();
        long unknownTagErrors = process.runLog().lines()
                .filter(l -> l.contains("PRECONDITION_FAILED - unknown delivery tag")).count();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> BrokerControl.connections().stream().noneMatch(PROBE_CONNECTIONS));
        // taken by a stale tag and not acknowledged by the probe itself up to the kill; nothing tells when a stale
        // acknowledgement reached the broker, so a taken message it still holds may only have been taken too late
        Set<Long> dropped = taken == null ? new HashSet<>() : seqs(taken.path("late_dropped_unacked"));
        dropped.retainAll(seqs(atKill.path("late_dropped_unacked")));
        Set<Long> unacked = seqs(atKill.path("late_unacked"));
        Set<Long> held = HeldMessages.drain(LATE_QUEUE);
        long droppedHeld = dropped.stream().filter(held::contains).count();
        long unackedHeld = unacked.stream().filter(held::contains).count();
        System.out.printf("killed after %d closed connection(s): of %d messages acknowledged only by another message's"
                        + " stale tag, the broker still held %d; of %d that nobody had acknowledged, it held %d (fewer"
                        + " where their own acknowledgement fell due before the kill; %d messages held in all)%n",
                attempts, dropped.size(), droppedHeld, unacked.size(), unackedHeld, held.size());
        System.out.printf("until the kill: %s; probe log: %d PRECONDITION_FAILED unknown delivery tag%n",
                ackFigures(atKill), unknownTagErrors);
        process.restart(); // a fresh probe for the restart test
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(probe::ready);
    }

    /** What the probe recorded of where the late consumer's acknowledgements landed. */
    private static String ackFigures(JsonNode stats) {
        return String.format("%d channels; %d stale acknowledgements seen, %d of them acknowledged another message the"
                        + " new channel had delivered, %d named no message; %d own acknowledgements of a tag taken"
                        + " already; ack failures reported to the application: %d (immediate consumer: %d stale"
                        + " acknowledgements, %d failures)", stats.path("late_generations").asLong(),
                stats.path("late_stale_acks").asLong(), stats.path("late_acked_by_accident").asLong(),
                stats.path("late_stale_unknown_tags").asLong(), stats.path("late_tags_acked_twice").asLong(),
                stats.path("late_ack_failures").asLong(), stats.path("stale_acks").asLong(),
                stats.path("ack_failures").asLong());
    }

    /** The probe's stats once the late consumer holds a message a stale tag took; null if none within {@code wait}. */
    private static JsonNode awaitDroppedUnacked(Duration wait) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        try {
            await().atMost(wait).pollInterval(Duration.ofMillis(20)).until(() -> {
                last.set(stats());
                return !last.get().path("late_dropped_unacked").isEmpty();
            });
            return last.get();
        } catch (ConditionTimeoutException e) {
            return null;
        }
    }

    private static Set<Long> seqs(JsonNode array) {
        Set<Long> seqs = new HashSet<>();
        array.forEach(n -> seqs.add(n.asLong()));
        return seqs;
    }

    /** Stops the broker for {@link #DOWNTIME}, starts it, and measures the probe's return. */
    private static Restart restartBroker() {
        long firstAtStop = stats().path("published").asLong() - MESSAGES_PER_SECOND;
        long lastAtStop;
        long stoppedAt = System.currentTimeMillis();
        long startedAt;
        try {
            BrokerControl.stopApp();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> !probe.ready());
            lastAtStop = stats().path("published").asLong();
            BrokerControl.stayDown(stoppedAt, DOWNTIME);
        } finally {
            BrokerControl.startApp();
            startedAt = System.currentTimeMillis();
        }
        long brokerUp = BrokerControl.awaitUp(RECOVERY_DEADLINE).toMillis();
        long ready = -1;
        long receiving = -1;
        try {
            await().atMost(RECOVERY_DEADLINE).pollInterval(Duration.ofMillis(100)).until(probe::ready);
            ready = System.currentTimeMillis() - startedAt;
            long publishedNow = stats().path("published").asLong();
            // what was published after start_app arrives: the consumer is back
            awaitReceivedSeq(publishedNow, RECOVERY_DEADLINE);
            receiving = System.currentTimeMillis() - startedAt;
            awaitReceived(ReceivedLines.read(receivedFile, RUN).distinct() + RECEIVED_BETWEEN, RECOVERY_DEADLINE);
        } catch (ConditionTimeoutException e) {
            System.out.printf("the probe did not recover within %s: %s%n", RECOVERY_DEADLINE, e.getMessage());
        }
        return new Restart(brokerUp, ready, receiving, firstAtStop, lastAtStop);
    }

    private static void awaitReceived(long distinct, Duration deadline) {
        await().atMost(deadline).pollInterval(Duration.ofMillis(200))
                .until(() -> ReceivedLines.read(receivedFile, RUN).distinct() >= distinct);
    }

    private static void awaitReceivedSeq(long seq, Duration deadline) {
        await().atMost(deadline).pollInterval(Duration.ofMillis(100))
                .until(() -> ReceivedLines.read(receivedFile, RUN).contains(seq));
    }

    private static JsonNode stats() {
        return probe.json("/probe/stats").orElseThrow(() -> new AssertionError("bus-probe does not answer"));
    }

    private static JsonNode post(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(process.baseUri() + path))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST %s: %s", path, response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }
}
