package io.visionfleet.common.bus;

import com.rabbitmq.client.Address;
import io.vertx.rabbitmq.RabbitMQOptions;
import io.visionfleet.common.testing.Broker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("quick")
class AmqpClientsTest {
    private final Broker broker = Broker.at("rabbit.example", 5999);

    @Test
    void theAddressListReplacesHostAndPortAndThePortDefaultsTo5672() {
        assertThat(AmqpClients.addresses(broker.busConfig()))
                .containsExactly(new Address("rabbit.example", 5999));
        assertThat(AmqpClients.addresses(broker.busConfig(List.of("10.0.0.1:5681", " node-2 ", "[::1]:5683"))))
                .containsExactly(new Address("10.0.0.1", 5681), new Address("node-2", 5672), new Address("[::1]", 5683));
        assertThat(AmqpClients.describe(broker.busConfig(List.of("a:5681", "b:5682")))).isEqualTo("a:5681,b:5682");
    }

    @Test
    void anAddressThatIsNotHostAndPortIsRefusedByName() {
        for (String bad : List.of("host:port", "host:0", ":5672", "host:70000")) {
            assertThatThrownBy(() -> AmqpClients.addresses(broker.busConfig(List.of("ok:5672", bad))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("fleet.rabbitmq.addresses: '" + bad + "' is not host:port");
        }
    }

    @Test
    void connectionsAreNamedServiceReplicaPurpose() {
        assertThat(AmqpClients.connectionName("storage-service", "pod-7-1", "bus")).isEqualTo("storage-service/pod-7-1/bus");
        assertThat(AmqpClients.defaultReplica()).matches("[A-Za-z0-9][A-Za-z0-9_.-]*-\\d+");
    }

    @Test
    void theConnectorsConnectionsAreNamedTheSameWayAfterTheirChannel() {
        RabbitMQOptions options = new ConnectorConnectionNames("frame-processor").customize("prompts", null, new RabbitMQOptions());
        assertThat(options.getConnectionName()).isEqualTo("frame-processor/" + AmqpClients.defaultReplica() + "/prompts");
    }
}
