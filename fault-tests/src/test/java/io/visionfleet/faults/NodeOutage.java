package io.visionfleet.faults;

import io.visionfleet.common.testing.LocalCluster;
import io.visionfleet.common.testing.TestVirtualHost;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * One node of the local cluster lost to the archiving fleet (killed, or cut off from its peers): which and why, and how
 * long after the loss began each service was ready again. What the cluster tests share.
 */
record NodeOutage(String node, String chosenAs, Map<String, Duration> ready) {
    static final Duration READY_DEADLINE = Duration.ofSeconds(60);

    /**
     * Waits until storage-service's bus connection is on another node than {@code node} and every service of
     * {@code fleet} is ready again, timing each from {@code since} ({@link System#nanoTime()}).
     */
    static NodeOutage awaitRecovery(ArchivingFleet fleet, String node, String chosenAs, long since) {
        Map<String, Duration> ready = new LinkedHashMap<>();
        await().atMost(READY_DEADLINE).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() ->
                LocalCluster.nodeOfConnection(NodeOutage::storageBus).filter(n -> !n.equals(node)).isPresent());
        for (ServiceProbe service : fleet.services()) {
            await().atMost(READY_DEADLINE).pollInterval(Duration.ofMillis(100)).until(service::ready);
            ready.put(service.name(), Duration.ofNanos(System.nanoTime() - since));
        }
        return new NodeOutage(node, chosenAs, ready);
    }

    /** The archiving fleet for {@code stream} on the local cluster: the services get its three addresses. */
    static ArchivingFleet fleetOn(String stream, int basePort) throws Exception {
        return new ArchivingFleet(stream, basePort, LocalCluster.node(1), Map.of(
                "fleet.rabbitmq.addresses", LocalCluster.addresses(), TestVirtualHost.PROPERTY, "/"));
    }

    /** The node of storage-service's bus connection. */
    static String storageNode() {
        return LocalCluster.nodeOfConnection(NodeOutage::storageBus)
                .orElseThrow(() -> new AssertionError("storage-service has no bus connection on the cluster"));
    }

    static void print(Iterable<NodeOutage> outages, String what, ArchivingFleet.Tally tally) {
        outages.forEach(o -> System.out.printf("%s %s (%s): ready again after: %s%n", what, o.node(), o.chosenAs(), o.ready()));
        System.out.printf("processed frames: %d counted, %d reached the broker, %d archived (%d twice); SLAM results: %d"
                        + " published, %d reached the broker, %d archived (%d twice)%n", tally.processed(),
                tally.framesWitnessed().distinct(), tally.frames().distinct(), tally.frames().duplicated(),
                tally.slamPublished(), tally.posesWitnessed().distinct(), tally.poses().distinct(), tally.poses().duplicated());
    }

    private static boolean storageBus(String connectionName) {
        return connectionName.startsWith("storage-service/") && connectionName.endsWith("/bus");
    }
}
