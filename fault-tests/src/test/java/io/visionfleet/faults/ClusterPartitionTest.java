package io.visionfleet.faults;

import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.testing.Broker;
import io.visionfleet.common.testing.LocalCluster;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The archiving fleet on the local three-node cluster while the node of storage-service's bus connection is cut off
 * from its two peers (a network partition: {@link LocalCluster#partition}). The cut-off node is the minority and
 * pauses (pause_minority), closing its clients' connections; they go on through the majority, quorum queues it led
 * elect a leader there, and after the heal the node resumes and rejoins (Debian's RabbitMQ 3.10.8 on OTP 25 sometimes
 * hangs in that resume, a known broker bug, rabbitmq-server#6034: the test then restarts the node, as an operator
 * would, and says so). Every result must be archived exactly once
 * and reach the broker, and every service be ready again (how long after the cut is printed; noticing the partition
 * takes 0.75-1.25 net_ticktime). Inspection queues as the definitions declare them are put on the node that is cut
 * off, for both result exchanges and for a publisher on the majority: every result is routed to them, so they must not
 * hold up confirms on the majority (a queue of that node alone did, until the partition was noticed), and they still
 * show the newest results after the heal. Needs root (iptables); skipped with the reason otherwise.
 */
@Tag("integration")
class ClusterPartitionTest {
    private static final String STREAM = "partition" + System.currentTimeMillis() % 1_000_000;
    /** A partition is noticed after 0.75-1.25 of this; RabbitMQ's 60 s would make each step minutes long. */
    private static final Duration NET_TICKTIME = Duration.ofSeconds(30);
    private static final Duration NOTICED_AT_THE_SOONEST = NET_TICKTIME.multipliedBy(3).dividedBy(4);
    private static final int FRAMES_BETWEEN = 50;

    private static LocalCluster cluster;
    private static ArchivingFleet fleet;

    @BeforeAll
    static void startFleetOnTheCluster() throws Exception {
        assumeTrue(LocalCluster.installed(), "RabbitMQ's package (rabbitmq-server) is not installed");
        assumeTrue(LocalCluster.canPartition(), "cutting a node off needs iptables as root");
        cluster = LocalCluster.start(Path.of("target", STREAM + "-cluster"), NET_TICKTIME);
        fleet = NodeOutage.fleetOn(STREAM, 20451);
    }

    @AfterAll
    static void stop() throws Exception {
        try (LocalCluster nodes = cluster; ArchivingFleet services = fleet) {
            if (nodes != null) {
                LocalCluster.heal(); // the fleet deletes its queues through node 1
                await().atMost(NodeOutage.READY_DEADLINE).ignoreExceptions()
                        .until(() -> LocalCluster.runningNodes().size() == LocalCluster.NODES);
            }
        }
    }

    @Test
    void everyResultIsArchivedExactlyOnceWhenANodeIsCutOff() throws Exception {
        fleet.awaitFramesProcessed(FRAMES_BETWEEN);
        String node = NodeOutage.storageNode();
        String archiveQueue = fleet.streamQueue();
        boolean ledByIt = fleet.streamQueueLeader().equals(node);
        Broker cutOff = LocalCluster.node(LocalCluster.index(node));
        List<String> inspection = new ArrayList<>();
        for (String exchange : List.of(Exchanges.PROCESSED_FRAMES, Exchanges.SLAM_RESULTS)) {
            inspection.add(InspectionQueues.declare(cutOff, exchange, exchange));
        }
        // the services' connections may all be on the node cut off; this publisher is on the majority for sure
        inspection.add(InspectionQueues.declare(cutOff, ConfirmProbe.EXCHANGE, Exchanges.PROCESSED_FRAMES));
        Broker onTheMajority = LocalCluster.node(LocalCluster.index(node) % LocalCluster.NODES + 1);
        NodeOutage outage;
        try (ConfirmProbe probe = ConfirmProbe.start(onTheMajority)) {
            long cutAt = System.nanoTime();
            cluster.partition(node);
            await().atMost(NodeOutage.READY_DEADLINE).pollInterval(Duration.ofMillis(200))
                    .until(() -> !LocalCluster.accepting(node));
            outage = NodeOutage.awaitRecovery(fleet, node, "the node of storage-service's bus connection", cutAt);
            Duration slowest = probe.slowest();
            System.out.printf("slowest confirm on the majority meanwhile: %d ms%n", slowest.toMillis());
            assertThat(probe.failure()).as("publishing on the majority").isNull();
            // a queue of the cut-off node alone would hold every confirm on the majority until the partition is
            // noticed: 45-75 s with RabbitMQ's net_ticktime, for every publisher, not only those of the cut-off node
            assertThat(slowest).as("the slowest confirm on the majority").isLessThan(NOTICED_AT_THE_SOONEST);
        }
        fleet.awaitFramesProcessed(fleet.framesProcessed() + FRAMES_BETWEEN);
        if (ledByIt) {
            assertThat(LocalCluster.leaderOf(archiveQueue)).as("a leader on the majority").isNotEqualTo(node);
        }

        LocalCluster.heal();
        if (!rejoins(node)) {
            // RabbitMQ 3.10 on OTP 25 may hang in global:sync while it resumes (rabbitmq-server#6034): restart it
            System.out.printf("%s did not resume within %s of the heal (rabbitmq-server#6034); restarting it%n", node,
                    NodeOutage.READY_DEADLINE);
            cluster.kill(node);
            cluster.startStopped();
            assertThat(rejoins(node)).as(node + " rejoins after its restart").isTrue();
        }
        fleet.awaitFramesProcessed(fleet.framesProcessed() + FRAMES_BETWEEN);

        ArchivingFleet.Tally tally = fleet.finish();
        NodeOutage.print(List.of(outage), "cut off", tally);
        System.out.printf("%s led %s before the cut: %s%n", node, archiveQueue, ledByIt);
        fleet.assertArchivedExactlyOnce(tally);
        for (String queue : inspection) {
            assertThat(InspectionQueues.messages(LocalCluster.node(1), queue)).as("%s shows the newest", queue)
                    .isPositive();
        }
    }

    /** Whether {@code node} accepts clients again and every node runs in the cluster within the deadline. */
    private static boolean rejoins(String node) {
        try {
            await().atMost(NodeOutage.READY_DEADLINE).ignoreExceptions().until(() -> LocalCluster.accepting(node)
                    && LocalCluster.runningNodes().size() == LocalCluster.NODES);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }
}
