package io.visionfleet.deploy;

import io.visionfleet.common.bus.BusConnection;
import io.visionfleet.common.testing.Broker;
import io.visionfleet.common.testing.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ./fleet broker --cluster 3}: three nodes of Debian's RabbitMQ on this machine, clustered, beside the machine's
 * broker on 5672. A service's bus connection given the three addresses moves to another node when its node is killed
 * with SIGKILL; running the command again brings the killed node back into the cluster; {@code --stop} stops them.
 */
@Tag("integration")
class LocalClusterTest {
    private static final Path HOME = Path.of("target/cluster-home").toAbsolutePath();
    private static final Map<String, String> ENV = Map.of("FLEET_HOME", HOME.toString());
    private static final Duration START = Duration.ofMinutes(3);
    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final List<String> ADDRESSES = List.of("127.0.0.1:5681", "127.0.0.1:5682", "127.0.0.1:5683");

    @AfterAll
    static void stop() {
        CommandLine.run(START, ENV, "./fleet", "broker", "--cluster", "3", "--stop");
    }

    @Test
    void threeNodesClusterAndAConnectionMovesOnWhenItsNodeIsKilled() throws Exception {
        String started = CommandLine.run(START, ENV, "./fleet", "broker", "--cluster", "3");
        assertThat(started).contains("FLEET_RABBITMQ_ADDRESSES=" + String.join(",", ADDRESSES));
        assertThat(LocalCluster.runningNodes()).containsExactlyInAnyOrder("rabbit-1@localhost", "rabbit-2@localhost", "rabbit-3@localhost");
        assertThat(CommandLine.run(START, ENV, "./fleet", "broker", "--cluster", "3"))
                .as("run again with every node up, it starts and joins nothing").doesNotContain("starting", "joining");

        BusConnection bus = new BusConnection(Broker.at("127.0.0.1", 5681).busConfig(ADDRESSES), "cluster-test");
        try {
            bus.channel().close();
            String first = bus.describe();
            assertThat(ADDRESSES).contains(first);
            int killed = Integer.parseInt(first.substring(first.lastIndexOf(':') + 1)) - 5680;
            long pid = Long.parseLong(Files.readString(HOME.resolve("rabbitmq-cluster/rabbit-" + killed + "/pid")).trim());
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();

            await().atMost(WITHIN).until(() -> bus.isOpen() && !bus.describe().equals(first));
            assertThat(ADDRESSES).contains(bus.describe());
            bus.channel().close();

            String restarted = CommandLine.run(START, ENV, "./fleet", "broker", "--cluster", "3");
            assertThat(restarted).contains("starting rabbit-" + killed + "@localhost");
            await().atMost(WITHIN).ignoreExceptions().until(() -> LocalCluster.runningNodes().size() == 3);
        } finally {
            bus.close();
        }

        CommandLine.run(START, ENV, "./fleet", "broker", "--cluster", "3", "--stop");
        assertThat(ADDRESSES).noneMatch(address -> LocalCluster.listening(Integer.parseInt(address.substring(address.indexOf(':') + 1))));
        assertThat(LocalCluster.listening(5672)).as("the machine's broker keeps running").isTrue();
    }
}
