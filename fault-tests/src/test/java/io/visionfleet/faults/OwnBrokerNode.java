package io.visionfleet.faults;

import io.visionfleet.common.testing.Broker;
import io.visionfleet.common.testing.LocalCluster;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.nio.file.Path;

/**
 * The RabbitMQ node fault-tests run on and restart: {@code rabbit-9@localhost} (AMQP on 5689), one node of Debian's
 * package started by {@code deploy/rabbitmq/local-cluster.sh} as the user running the tests, on fresh data, when the
 * test session opens, and stopped when it closes. Since it is not the machine's broker, which the service modules'
 * tests use, {@code ./fleet test} runs fault-tests beside them, and restarting it needs no root. Where RabbitMQ's
 * scripts are not installed the tests use the broker {@link Broker} finds, and those that restart it are skipped.
 */
public final class OwnBrokerNode implements LauncherSessionListener {
    static final String NODE = "rabbit-9@localhost";
    private static final int INDEX = 9;
    private static final Path DIR = Path.of("target", "own-broker");

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (LocalCluster.installed()) {
            System.setProperty(Broker.OWN_NODE_PORT, Integer.toString(LocalCluster.startSingleNode(INDEX, DIR)));
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (running()) {
            LocalCluster.stopSingleNode(INDEX, DIR);
        }
    }

    /** Whether the tests run on this node. */
    static boolean running() {
        return System.getProperty(Broker.OWN_NODE_PORT) != null;
    }
}
