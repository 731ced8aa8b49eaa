package io.visionfleet.deploy;

import io.visionfleet.common.testing.LocalCluster;
import io.visionfleet.common.testing.RelayProcess;
import io.visionfleet.common.testing.TestVirtualHost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import static io.visionfleet.deploy.StreamOwnershipAcrossReplicasTest.LEASE_PERIOD;
import static io.visionfleet.deploy.StreamOwnershipAcrossReplicasTest.MAX_STREAMS;
import static io.visionfleet.deploy.StreamOwnershipAcrossReplicasTest.SERVICE;
import static io.visionfleet.deploy.StreamOwnershipAcrossReplicasTest.SETTLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Stream ownership on a three-node RabbitMQ cluster ({@link LocalCluster}): three ptz-service replicas, given the
 * three addresses, share three streams of a real relay. First the node that holds replica-1's lease connection is
 * killed with SIGKILL; once it is back, the node of replica-2's lease connection is restarted (stopped as an operator
 * would, then started). Each time the leases re-form: the replica reconnects to a live node, every stream is
 * processed by exactly one replica, every replica counts three members, and the replicas whose lease connections
 * were on other nodes stopped no stream; at no time does a stream run on two replicas for the lease period or longer
 * (the longest and the time to re-form are printed).
 */
@Tag("integration")
class StreamOwnershipOnAClusterTest {
    private static final int FIRST_PORT = 24311;
    private static final String RUN = "ownc" + System.currentTimeMillis() % 1_000_000 + "-";
    private static final String GROUP = "ownership-cluster-" + RUN;
    private static final List<String> STREAMS = IntStream.rangeClosed(1, 3).mapToObj(i -> RUN + "s" + i).toList();

    private static LocalCluster cluster;
    private static RelayProcess relay;
    private static ReplicaGroup group;

    @BeforeAll
    static void startClusterRelayAndReplicas() throws Exception {
        assumeTrue(LocalCluster.installed(), "RabbitMQ's package (rabbitmq-server) is not installed");
        cluster = LocalCluster.start(Path.of("target", RUN + "cluster"));
        relay = RelayProcess.start(24296, 24696);
        Path clip = StreamOwnershipAcrossReplicasTest.clip("ownership-cluster");
        STREAMS.forEach(id -> relay.addFileSource(id, clip));
        Map<String, String> config = new HashMap<>(StreamOwnershipAcrossReplicasTest.consumerOf(relay, STREAMS, false));
        config.put("fleet.rabbitmq.addresses", LocalCluster.addresses());
        config.put(TestVirtualHost.PROPERTY, "/"); // the cluster has the default virtual host only
        group = ReplicaGroup.start(SERVICE, GROUP, 3, FIRST_PORT, MAX_STREAMS, RUN, config);
    }

    @AfterAll
    static void stopAll() throws Exception {
        try (LocalCluster c = cluster; RelayProcess r = relay; ReplicaGroup g = group) {
            // all closed, the replicas first and the cluster last; any may be null when the start failed
        }
    }

    @Test
    void leasesReformWhenTheNodeOfAReplicasLeasesDiesOrRestarts() throws Exception {
        awaitOneReplicaPerStream();
        reform("replica-1", "killed", cluster::kill);
        cluster.startStopped();
        await().atMost(SETTLE).ignoreExceptions().until(() -> LocalCluster.runningNodes().size() == LocalCluster.NODES);
        awaitOneReplicaPerStream();
        reform("replica-2", "restarted", node -> {
            cluster.stop(node);
            cluster.startStopped();
        });
        Map<String, Long> longest = group.assertNoDoubleProcessingFor(LEASE_PERIOD, SETTLE);
        System.out.printf("longest double processing per stream: %s ms%n", longest);
    }

    /**
     * Does {@code what} to the node of {@code replica}'s lease connection and waits until the replica holds its
     * leases through another connection and the group has re-formed. Replicas whose lease connections were on other
     * nodes keep their streams throughout, even when the group's shared queues were on that node.
     */
    private static void reform(String replica, String done, Consumer<String> what) throws Exception {
        String node = leaseNode(replica);
        Map<ServiceProcess, Long> bystanders = new HashMap<>();
        for (ServiceProcess r : group.replicas()) {
            if (!leaseNode(replicaId(r)).equals(node)) {
                bystanders.put(r, streamsDropped(r));
            }
        }
        long at = System.nanoTime();
        what.accept(node);
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(250)).ignoreExceptions().untilAsserted(() -> {
            assertThat(LocalCluster.nodeOfConnection(name -> name.equals(leaseConnection(replica))))
                    .as("the node of %s's lease connection, after %s was %s", replica, node, done)
                    .hasValueSatisfying(n -> assertThat(n).isNotEqualTo(node));
            group.assertEachProcessedByOneReplica(STREAMS);
        });
        group.awaitMembers(3, SETTLE);
        assertThat(group.replicas()).allSatisfy(r -> assertThat(r.alive()).as(r.name).isTrue());
        for (Map.Entry<ServiceProcess, Long> b : bystanders.entrySet()) {
            assertThat(streamsDropped(b.getKey())).as("%s, not on %s, stopped no stream", b.getKey().name, node)
                    .isEqualTo(b.getValue());
        }
        System.out.printf("%s (%s's leases) %s: one replica per stream again %d ms after it began; owners %s%n", node, replica,
                done, (System.nanoTime() - at) / 1_000_000, group.owners());
    }

    private static void awaitOneReplicaPerStream() {
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            group.assertEachProcessedByOneReplica(STREAMS);
            assertThat(group.replicas()).allSatisfy(r -> assertThat(r.get("/ownership").orElseThrow().get("owned")).hasSize(1));
        });
    }

    private static String leaseNode(String replica) {
        return await().atMost(SETTLE).ignoreExceptions()
                .until(() -> LocalCluster.nodeOfConnection(name -> name.equals(leaseConnection(replica))), o -> o.isPresent())
                .orElseThrow();
    }

    private static String replicaId(ServiceProcess r) {
        return r.name.substring(RUN.length());
    }

    /** How often the replica stopped its streams because its leases were gone, by its log. */
    private static long streamsDropped(ServiceProcess r) throws Exception {
        return r.log().lines().filter(l -> l.contains("its leases are gone")).count();
    }

    /** The name Leases gives its connection: {@code <group>/<replica>/leases}. */
    private static String leaseConnection(String replica) {
        return GROUP + "/" + replica + "/leases";
    }
}
