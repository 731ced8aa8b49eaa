package io.visionfleet.common.bus;

import io.visionfleet.common.testing.Broker;
import io.visionfleet.common.testing.Rabbitmqctl;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The service's connection on the real broker, given a list of nodes as for a cluster. */
@Tag("integration")
class BusConnectionTest {
    private final Broker broker = Broker.get();

    @Test
    void aNodeThatRefusesIsPassedOverAndTheConnectionSaysWhoseItIs() throws Exception {
        String live = broker.host() + ":" + broker.port();
        BusConnection bus = new BusConnection(broker.busConfig(List.of("127.0.0.1:" + closedPort(), live)), "bus-test");
        try {
            bus.channel().close();
            assertThat(bus.isOpen()).isTrue();
            assertThat(bus.describe()).isEqualTo(live);
            if (Rabbitmqctl.usable()) {
                assertThat(Rabbitmqctl.run("list_connections", "client_properties"))
                        .contains("{\"connection_name\",\"bus-test/" + AmqpClients.defaultReplica() + "/bus\"}");
            }
        } finally {
            bus.close();
        }
    }

    @Test
    void withEveryNodeDownTheReasonNamesTheNodes() throws IOException {
        List<String> down = List.of("127.0.0.1:" + closedPort(), "127.0.0.1:" + closedPort());
        BusConnection bus = new BusConnection(broker.busConfig(down), "bus-test");
        try {
            assertThatThrownBy(bus::channel).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("cannot connect to RabbitMQ at " + String.join(",", down) + ": ");
            assertThat(bus.isOpen()).isFalse();
        } finally {
            bus.close();
        }
    }

    /** A port nothing listens on: the kernel's choice, released at once. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
