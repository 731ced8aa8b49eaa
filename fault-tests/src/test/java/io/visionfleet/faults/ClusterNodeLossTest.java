package io.visionfleet.faults;

import io.visionfleet.common.testing.LocalCluster;
import io.visionfleet.common.testing.TestVirtualHost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    private static final Duration READY_DEADLINE = Duration.ofSeconds(60);
    /** Frames before the first kill and after each, about five seconds of the 10 fps clip each. */
    private static final int FRAMES_BETWEEN = 50;

    private static LocalCluster cluster;
    private static ArchivingFleet fleet;

    /** One node killed: which and why, and how long after the kill each service was ready again. */
    private record Loss(String node, String chosenAs, Map<String, Duration> ready) {
    }

    @BeforeAll
    static void startFleetOnTheCluster() throws Exception {
        assumeTrue(LocalCluster.installed(), "RabbitMQ's package (rabbitmq-server) is not installed");
        cluster = LocalCluster.start(Path.of("target", STREAM + "-cluster"));
        fleet = new ArchivingFleet(STREAM, 18431, LocalCluster.node(1), Map.of(
                "fleet.rabbitmq.addresses", LocalCluster.addresses(), TestVirtualHost.PROPERTY, "/"));
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
        List<Loss> losses = new ArrayList<>();
        String storageNode = LocalCluster.nodeOfConnection(ClusterNodeLossTest::storageBus)
                .orElseThrow(() -> new AssertionError("storage-service has no bus connection on the cluster"));
        losses.add(kill(storageNode, "the node of storage-service's bus connection"));
        fleet.awaitFramesProcessed(fleet.framesProcessed() + FRAMES_BETWEEN);
        cluster.startStopped();
        await().atMost(READY_DEADLINE).ignoreExceptions().until(() -> LocalCluster.runningNodes().size() == LocalCluster.NODES);

        String leader = LocalCluster.leaderOf(fleet.archiveQueue("processed_frames"));
        losses.add(kill(leader, "the leader of " + fleet.archiveQueue("processed_frames")));
        fleet.awaitFramesProcessed(fleet.framesProcessed() + FRAMES_BETWEEN);
        assertThat(LocalCluster.leaderOf(fleet.archiveQueue("processed_frames"))).as("a new leader").isNotEqualTo(leader);
        cluster.startStopped();

        ArchivingFleet.Tally tally = fleet.finish();
        losses.forEach(loss -> System.out.printf("killed %s (%s): ready again after the kill: %s%n", loss.node(),
                loss.chosenAs(), loss.ready()));
        System.out.printf("processed frames: %d counted, %d reached the broker, %d archived (%d twice); SLAM results: %d"
                        + " published, %d reached the broker, %d archived (%d twice)%n", tally.processed(),
                tally.framesWitnessed().distinct(), tally.frames().distinct(), tally.frames().duplicated(),
                tally.slamPublished(), tally.posesWitnessed().distinct(), tally.poses().distinct(), tally.poses().duplicated());
        fleet.assertArchivedExactlyOnce(tally);
    }

    /**
     * Kills {@code node} and waits until storage-service's bus connection is on another node and every service is
     * ready again.
     */
    private static Loss kill(String node, String chosenAs) {
        long killedAt = System.nanoTime();
        cluster.kill(node);
        Map<String, Duration> ready = new LinkedHashMap<>();
        await().atMost(READY_DEADLINE).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() ->
                LocalCluster.nodeOfConnection(ClusterNodeLossTest::storageBus).filter(n -> !n.equals(node)).isPresent());
        for (ServiceProbe service : fleet.services()) {
            await().atMost(READY_DEADLINE).pollInterval(Duration.ofMillis(100)).until(service::ready);
            ready.put(service.name(), Duration.ofNanos(System.nanoTime() - killedAt));
        }
        return new Loss(node, chosenAs, ready);
    }

    private static boolean storageBus(String connectionName) {
        return connectionName.startsWith("storage-service/") && connectionName.endsWith("/bus");
    }
}
