package io.visionfleet.common.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * A RabbitMQ virtual host for each module's tests on the machine's broker, so that two modules' tests can run side
 * by side ({@code ./fleet test} runs them two at a time) without one module's services following the other's streams
 * or reading its results. Surefire names the host in {@code fleet.rabbitmq.virtual-host} (the root pom:
 * {@code vf-test-<module>}); every service under test reads it as its own bus setting, and {@link Broker} passes it to
 * the processes it configures. A missing host is made with rabbitmqctl; where that cannot be done (not root), the
 * property is cleared and the module's tests use the default host, as they may when one module runs alone.
 * Registered for every module through the common test-jar's {@code META-INF/services}.
 */
public final class TestVirtualHost implements LauncherSessionListener {
    public static final String PROPERTY = "fleet.rabbitmq.virtual-host";
    private static final String DEFAULT = "/";

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        String host = current();
        if (DEFAULT.equals(host) || !Broker.localListens() || Broker.localAdmits(host)) {
            return;
        }
        if (Rabbitmqctl.usable()) {
            Rabbitmqctl.run("-q", "add_vhost", host);
            Rabbitmqctl.run("-q", "set_permissions", "-p", host, "guest", ".*", ".*", ".*");
            return;
        }
        System.out.println("RabbitMQ virtual host " + host + " is missing and rabbitmqctl cannot make it here (not root):"
                + " these tests use the default host, so run no other module's tests beside them");
        System.clearProperty(PROPERTY);
    }

    /** The virtual host of this JVM's tests. */
    static String current() {
        return System.getProperty(PROPERTY, DEFAULT);
    }
}
