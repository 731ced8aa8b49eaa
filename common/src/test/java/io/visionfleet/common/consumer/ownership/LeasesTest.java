package io.visionfleet.common.consumer.ownership;

import io.visionfleet.common.testing.AnswerWithholdingProxy;
import io.visionfleet.common.testing.Broker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The lease connection against a broker that stays alive but leaves a call unanswered. */
@Tag("integration")
class LeasesTest {
    private static final int QUEUE_CLASS = 50;
    private static final int DECLARE_OK = 11;

    @Test
    void aJoinWhoseDeclareTheBrokerNeverAnswersFailsWithinTheLeaseTimeoutAndTheNextJoinSucceeds() throws Exception {
        Broker broker = Broker.get();
        OwnershipSettings settings = new OwnershipSettings("leases-test-" + System.currentTimeMillis() % 1_000_000,
                "r1", 0, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ZERO);
        try (AnswerWithholdingProxy proxy = AnswerWithholdingProxy.to(broker.host(), broker.port());
             Leases leases = new Leases(broker.via("127.0.0.1", proxy.port()).busConfig(), settings, () -> { })) {
            proxy.withhold(QUEUE_CLASS, DECLARE_OK);
            // the client's own default would wait ten minutes; the leases' calls give up after 10 s
            assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> assertThatThrownBy(leases::open).isInstanceOf(IOException.class));
            assertThat(leases.isOpen()).as("no lease connection kept after a failed join").isFalse();

            proxy.release();
            leases.open();
            assertThat(leases.isOpen()).isTrue();
            assertThat(leases.replicas()).as("members of the group after the second join").isEqualTo(1);
        }
    }
}
