package io.visionfleet.faults;

import io.visionfleet.common.testing.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The archiving fleet on a three-node RabbitMQ cluster ({@link LocalCluster}), given the three addresses: first the
 * node that storage-service's bus connection uses is killed with SIGKILL, then, once it is back, the node that leads
 * the archive's quorum queue of processed frames. Every processed frame and SLAM result must be archived exactly once
 * and reach the broker, and every service be ready again (how long that took is printed; the deadline is generous).
 */
@Tag("integration")
class ClusterNodeLossTest {
    private static final String STREAM = "nodeloss" + System.currentTimeMillis() % 1_000_000;
    /** Frames before the first kill and after each, about five seconds of the 10 fps clip each. */
    private static final int FRAMES_BETWEEN = 50;

    private static LocalCluster cluster;
    private static ArchivingFleet fleet;

    @BeforeAll
    static void startFleetOnTheCluster() throws Exception {
        assumeTrue(LocalCluster.installed(), "RabbitMQ's package (rabbitmq-server) is not installed");
        cluster = LocalCluster.start(Path.of("target", STREAM + "-cluster"));
        fleet = NodeOutage.fleetOn(STREAM, 20431);
    }

    @AfterAll
    static void stop() throws Exception {
        try (LocalCluster nodes = cluster; ArchivingFleet services = fleet) {
            if (nodes != null) {
                nodes.startStopped(); // the fleet deletes its queues through node 1
            }
        }
    }

    @Test
    void everyResultIsArchivedExactlyOnceWhenANodeDies() throws Exception {
        fleet.awaitFramesProcessed(FRAMES_BETWEEN);
        List<NodeOutage> losses = new ArrayList<>();
        losses.add(kill(NodeOutage.storageNode(), "the node of storage-service's bus connection"));
        fleet.awaitFramesProcessed(fleet.framesProcessed() + FRAMES_BETWEEN);
        cluster.startStopped();
        await().atMost(NodeOutage.READY_DEADLINE).ignoreExceptions().until(() -> LocalCluster.runningNodes().size() == LocalCluster.NODES);

        String leader = fleet.streamQueueLeader();
        losses.add(kill(leader, "the leader of " + fleet.streamQueue()));
        fleet.awaitFramesProcessed(fleet.framesProcessed() + FRAMES_BETWEEN);
        assertThat(LocalCluster.leaderOf(fleet.streamQueue())).as("a new leader").isNotEqualTo(leader);
        cluster.startStopped();

        ArchivingFleet.Tally tally = fleet.finish();
        NodeOutage.print(losses, "killed", tally);
        fleet.assertArchivedExactlyOnce(tally);
    }

    private static NodeOutage kill(String node, String chosenAs) {
        long killedAt = System.nanoTime();
        cluster.kill(node);
        return NodeOutage.awaitRecovery(fleet, node, chosenAs, killedAt);
    }
}
