package io.visionfleet.common.consumer.ownership;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.visionfleet.common.bus.AmqpClients;
import io.visionfleet.common.bus.BusConfig;
import io.visionfleet.common.consumer.ConsumerSettings;
import io.visionfleet.common.consumer.DecodedFrame;
import io.visionfleet.common.consumer.FrameConsumer;
import io.visionfleet.common.consumer.StreamSession;
import io.visionfleet.common.consumer.StreamState;
import io.visionfleet.common.testing.Broker;
import io.visionfleet.common.testing.Rabbitmqctl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Several replicas of one group in this JVM, each with its own lease connection to the real broker, share streams.
 * Their consumers point at a port where no relay listens: following a stream only retries, which is all ownership
 * needs. Killing a replica process is covered by the multi-process test in deploy-tests.
 */
@Tag("integration")
class StreamOwnershipTest {
    private static final Duration CLAIM_INTERVAL = Duration.ofMillis(200);

    private final Broker broker = Broker.get();
    private final String group = "ownership-test-" + System.nanoTime();
    private final List<Replica> replicas = new ArrayList<>();

    /** A consumer that never reaches a relay, with the ownership that decides what it follows. */
    private record Replica(String id, IdleConsumer consumer, StreamOwnership ownership) {
        Set<String> followed() {
            return consumer.streams().stream().map(StreamState::streamId).collect(Collectors.toSet());
        }
    }

    static final class IdleConsumer extends FrameConsumer<StreamSession> {
        /** The processing threads each followed stream needs, as a service would measure it; 0: nothing measured. */
        volatile double loadPerStream;

        IdleConsumer() {
            super(new ConsumerSettings("rtsp://127.0.0.1:1/", Duration.ofSeconds(2), 0));
        }

        @Override
        public Optional<Double> load() {
            return Optional.of(streams().size() * loadPerStream);
        }

        @Override
        protected StreamSession openSession(StreamState stream) {
            return StreamSession.NONE;
        }

        @Override
        protected void onFrame(StreamSession session, DecodedFrame frame) {
        }
    }

    @AfterEach
    void stopAll() {
        replicas.forEach(this::stop);
    }

    private Replica start(String id, int maxStreams, Set<String> pinned) {
        BusConfig bus = broker.busConfig();
        IdleConsumer consumer = new IdleConsumer();
        StreamOwnership ownership = new StreamOwnership(
                new OwnershipSettings(group, id, maxStreams, CLAIM_INTERVAL, Duration.ofSeconds(2), Duration.ZERO),
                bus, consumer, pinned);
        Replica replica = new Replica(id, consumer, ownership);
        replicas.add(replica);
        ownership.start();
        return replica;
    }

    private void stop(Replica replica) {
        replica.ownership().close();
        replica.consumer().close();
    }

    private static Set<String> streams(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> "s" + i).collect(Collectors.toSet());
    }

    /** Stream id to the replicas that own it, by their published views. */
    private Map<String, List<String>> owners(List<Replica> live) {
        Map<String, List<String>> owners = new HashMap<>();
        for (Replica r : live) {
            r.ownership().view().owned().forEach(s -> owners.computeIfAbsent(s, k -> new ArrayList<>()).add(r.id()));
        }
        return owners;
    }

    /** Replicas a and b, once each of {@code streams} is owned by exactly one of them. */
    private List<Replica> twoSharing(Set<String> streams) {
        List<Replica> live = List.of(start("a", 0, streams), start("b", 0, streams));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(owners(live)).hasSize(streams.size())
                .allSatisfy((s, o) -> assertThat(o).hasSize(1)));
        return live;
    }

    @Test
    void eachStreamIsOwnedByExactlyOneReplicaAndTheyAreSpreadEvenly() {
        Set<String> six = streams(6);
        List<Replica> live = List.of(start("a", 0, six), start("b", 0, six), start("c", 0, six));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(owners(live)).containsOnlyKeys(six).allSatisfy((s, o) -> assertThat(o).hasSize(1));
            assertThat(live).allSatisfy(r -> assertThat(r.ownership().view().owned()).hasSize(2));
        });
        for (Replica r : live) {
            OwnershipView v = r.ownership().view();
            assertThat(r.followed()).as("a replica pulls exactly what it owns").containsExactlyInAnyOrderElementsOf(v.owned());
            assertThat(v.replicas()).isEqualTo(3);
            assertThat(v.connected()).isTrue();
            assertThat(v.waiting()).hasSize(4).doesNotContainAnyElementsOf(v.owned());
        }
    }

    @Test
    void theCapLimitsEachReplicaAndLeavesTheRestWaiting() {
        Set<String> three = streams(3);
        List<Replica> live = List.of(start("a", 1, three), start("b", 1, three));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(live).allSatisfy(r -> assertThat(r.ownership().view().owned()).hasSize(1));
            assertThat(owners(live)).hasSize(2).allSatisfy((s, o) -> assertThat(o).hasSize(1));
        });
        assertThat(live).allSatisfy(r -> assertThat(r.ownership().view().limit()).isEqualTo(1));
    }

    /**
     * Replicas a and b holding three of six streams each, whose streams then cost {@code aLoad} and {@code bLoad} of
     * their processing threads each.
     */
    private List<Replica> threeEachThenLoaded(double aLoad, double bLoad) {
        Set<String> six = streams(6);
        List<Replica> live = List.of(start("a", 0, six), start("b", 0, six));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(live).allSatisfy(r -> assertThat(r.ownership().view().owned()).hasSize(3)));
        live.get(0).consumer().loadPerStream = aLoad;
        live.get(1).consumer().loadPerStream = bLoad;
        return live;
    }

    @Test
    void aReplicaOverCapacityHandsStreamsToOneWithRoom() {
        // a's streams cost half its threads each (it carries 2), b's an eighth (it carries 8)
        List<Replica> live = threeEachThenLoaded(0.5, 0.125);
        Replica a = live.get(0);
        Replica b = live.get(1);
        // measured once the streams owned have not changed for StreamCapacity.SETTLE, then one stream moves per round
        await().atMost(StreamCapacity.SETTLE.plusSeconds(20)).untilAsserted(() -> {
            assertThat(a.ownership().view().owned()).hasSize(2);
            assertThat(b.ownership().view().owned()).hasSize(4);
            assertThat(owners(live)).containsOnlyKeys(streams(6)).allSatisfy((s, o) -> assertThat(o).hasSize(1));
            assertThat(a.ownership().view().capacity()).isEqualTo(2);
            assertThat(b.ownership().view().capacity()).isEqualTo(8);
            // a replica's consumers come and go one by one: the total is read right only between its changes
            assertThat(a.ownership().view().groupCapacity()).isEqualTo(10);
        });
        assertThat(a.followed()).containsExactlyInAnyOrderElementsOf(a.ownership().view().owned());
    }

    /**
     * Capacities measured from load wander by a stream; following each wobble would pass streams back and forth. Nor
     * does a dip shorter than {@link StreamCapacity#STABILIZATION} move one.
     */
    @Test
    void aReplicaOneStreamAboveItsShareThatStillKeepsUpKeepsItsStreams() {
        // a carries 3 (3.3), b 6 (6.7): a's share of six is 2, and its 3 streams keep their full rate
        List<Replica> live = threeEachThenLoaded(0.3, 0.15);
        Replica a = live.get(0);
        Replica b = live.get(1);
        await().atMost(StreamCapacity.SETTLE.plusSeconds(20)).untilAsserted(() -> {
            assertThat(a.ownership().view().capacity()).isEqualTo(3);
            assertThat(b.ownership().view().capacity()).isEqualTo(6);
            assertThat(a.ownership().view().groupCapacity()).isEqualTo(9);
            assertThat(a.ownership().view().limit()).isEqualTo(2);
        });
        Map<String, List<String>> settled = owners(live);
        assertNoStreamMovesForTenRounds(live);
        // a's streams then cost far more for a while: it carries 1 (1.25), and its share falls to 1
        a.consumer().loadPerStream = 0.8;
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(a.ownership().view().capacity()).isEqualTo(1);
            assertThat(a.ownership().view().limit()).isEqualTo(1);
        });
        assertNoStreamMovesForTenRounds(live);
        assertThat(owners(live)).isEqualTo(settled);
        assertThat(a.ownership().view().owned()).hasSize(3);
        assertThat(b.ownership().view().owned()).hasSize(3);
    }

    /** Over ten rounds of the first replica, every stream stays where it is now. */
    private void assertNoStreamMovesForTenRounds(List<Replica> live) {
        Map<String, List<String>> before = owners(live);
        Set<OwnershipView> rounds = Collections.newSetFromMap(new IdentityHashMap<>());
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
            assertThat(owners(live)).as("no stream moves").isEqualTo(before);
            rounds.add(live.get(0).ownership().view()); // a new view each round
            return rounds.size() > 10;
        });
    }

    @Test
    void aCappedReplicaAdvertisesNoMoreThanItMayHoldSoNoStreamIsLeftToNobody() {
        Set<String> four = streams(4);
        Replica a = start("a", 2, four);
        Replica b = start("b", 0, four);
        List<Replica> live = List.of(a, b);
        // a's streams are cheap (it would carry 40, but may hold 2), b's dear (it carries 5)
        a.consumer().loadPerStream = 0.05;
        b.consumer().loadPerStream = 0.2;
        await().atMost(StreamCapacity.SETTLE.plusSeconds(20)).untilAsserted(() -> {
            assertThat(a.ownership().view().capacity()).isEqualTo(2);
            assertThat(b.ownership().view().capacity()).isEqualTo(5);
            assertThat(owners(live)).containsOnlyKeys(four).allSatisfy((s, o) -> assertThat(o).hasSize(1));
        });
        assertThat(a.ownership().view().owned()).hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void announcedStreamsAreClaimedAndStoppedOnesGivenUp() {
        Replica a = start("a", 0, Set.of());
        Replica b = start("b", 0, Set.of());
        List<Replica> live = List.of(a, b);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.ownership().view().replicas() == 2);

        a.ownership().started("cam-new");
        b.ownership().started("cam-new");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(owners(live)).containsOnlyKeys("cam-new").allSatisfy((s, o) -> assertThat(o).hasSize(1)));
        Replica owner = a.ownership().view().owned().contains("cam-new") ? a : b;
        assertThat(owner.followed()).containsExactly("cam-new");

        a.ownership().stopped("cam-new");
        b.ownership().stopped("cam-new");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(owners(live)).isEmpty();
            assertThat(owner.followed()).isEmpty();
        });
    }

    @Test
    void aLeavingReplicasStreamsAreTakenOverAndAJoiningOneGetsItsShare() {
        Set<String> four = streams(4);
        Replica a = start("a", 0, four);
        Replica b = start("b", 0, four);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(owners(List.of(a, b))).hasSize(4)
                .allSatisfy((s, o) -> assertThat(o).hasSize(1)));

        replicas.remove(a);
        stop(a);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(b.ownership().view().owned()).containsExactlyInAnyOrderElementsOf(four);
            assertThat(b.followed()).containsExactlyInAnyOrderElementsOf(four);
        });

        Replica c = start("c", 0, four);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(b.ownership().view().owned()).hasSize(2);
            assertThat(c.ownership().view().owned()).hasSize(2);
            assertThat(owners(List.of(b, c))).hasSize(4).allSatisfy((s, o) -> assertThat(o).hasSize(1));
        });
        assertThat(b.followed()).containsExactlyInAnyOrderElementsOf(b.ownership().view().owned());
    }

    @Test
    void whenTheGroupsSharedQueuesGoWithTheirNodeTheReplicasRejoinAndKeepTheirStreams() throws Exception {
        Set<String> four = streams(4);
        List<Replica> live = twoSharing(four);
        Replica a = live.get(0);
        Replica b = live.get(1);
        Map<String, Set<String>> ownedBefore = Map.of("a", Set.copyOf(a.ownership().view().owned()),
                "b", Set.copyOf(b.ownership().view().owned()));
        Set<String> unfollowed = ConcurrentHashMap.newKeySet();
        live.forEach(r -> r.consumer().addListener(stream -> unfollowed.add(r.id() + ":" + stream.streamId())));

        // what a cluster does when the node that holds the shared (non-durable) queues goes: it deletes them
        try (Connection c = AmqpClients.open(broker.busConfig(), Duration.ofSeconds(10), "ownership-test/deleter")) {
            Channel ch = c.createChannel();
            ch.queueDelete(Leases.membershipQueue(group));
            ch.queueDelete(Leases.capacityQueue(group));
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
                assertThat(c.createChannel().queueDeclarePassive(Leases.membershipQueue(group)).getConsumerCount())
                        .as("members again").isEqualTo(2);
                assertThat(live).allSatisfy(r -> assertThat(r.ownership().view().replicas()).isEqualTo(2));
            });
        }
        assertThat(unfollowed).as("no replica stopped a stream").isEmpty();
        assertThat(Map.of("a", Set.copyOf(a.ownership().view().owned()), "b", Set.copyOf(b.ownership().view().owned())))
                .isEqualTo(ownedBefore);
    }

    @Test
    void aReplicaWhoseLeasesTheBrokerDropsStopsItsStreamsAndRejoins() throws Exception {
        assumeTrue(Rabbitmqctl.usable() && broker.host().equals("127.0.0.1"), "needs the local broker's rabbitmqctl");
        Set<String> four = streams(4);
        List<Replica> live = twoSharing(four);
        Replica a = live.get(0);
        Replica b = live.get(1);
        Set<String> ownedBefore = Set.copyOf(a.ownership().view().owned());
        Set<String> unfollowedByA = ConcurrentHashMap.newKeySet();
        a.consumer().addListener(stream -> unfollowedByA.add(stream.streamId()));
        AtomicLong longestOverlapMs = new AtomicLong();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        Map<String, Long> overlapSince = new HashMap<>();
        sampler.scheduleAtFixedRate(() -> {
            long now = System.currentTimeMillis();
            for (String id : four) {
                if (a.followed().contains(id) && b.followed().contains(id)) {
                    longestOverlapMs.accumulateAndGet(now - overlapSince.computeIfAbsent(id, k -> now), Math::max);
                } else {
                    overlapSince.remove(id);
                }
            }
        }, 0, 10, TimeUnit.MILLISECONDS);

        // what the broker does to a replica whose heartbeats stopped: it closes the connection, the leases go with it
        String connections = Rabbitmqctl.run("-q", "list_connections", "--no-table-headers", "pid", "client_properties");
        String pid = connections.lines().filter(l -> l.contains("\"" + group + "/a/leases\"")).map(l -> l.split("\t")[0])
                .findFirst().orElseThrow(() -> new AssertionError("no lease connection of a in " + connections));
        Rabbitmqctl.run("-q", "close_connection", pid, "lease test");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(a.ownership().view().connected()).isTrue();
            assertThat(owners(live)).hasSize(4).allSatisfy((s, o) -> assertThat(o).hasSize(1));
            assertThat(a.ownership().view().owned()).hasSize(2);
            assertThat(a.followed()).containsExactlyInAnyOrderElementsOf(a.ownership().view().owned());
            assertThat(b.followed()).containsExactlyInAnyOrderElementsOf(b.ownership().view().owned());
        });
        sampler.shutdownNow();
        // b claims the dropped leases while a learns its connection is gone: how long both pull a stream is a race
        System.out.printf("longest time a stream was followed by both replicas: %d ms%n", longestOverlapMs.get());
        assertThat(unfollowedByA).as("a stops every stream whose lease it lost").containsAll(ownedBefore);
    }

    @Test
    void invalidSettingsAreRefusedWithTheRule() {
        assertThatThrownBy(() -> new OwnershipSettings("bad group", "r", 0,
                        CLAIM_INTERVAL, Duration.ofSeconds(5), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[A-Za-z0-9_.-]");
        assertThatThrownBy(() -> new OwnershipSettings("g", "r", -1,
                        CLAIM_INTERVAL, Duration.ofSeconds(5), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max streams");
        assertThatThrownBy(() -> new OwnershipSettings("g", "r", 0,
                        CLAIM_INTERVAL, Duration.ofSeconds(5), Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("warm-up");
    }
}
