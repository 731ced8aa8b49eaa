package io.visionfleet.common.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Points a {@code @QuarkusTest} service at the test {@link Broker}: annotate the test with
 * {@code @WithTestResource(BrokerResource.class)}.
 */
public class BrokerResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        return Broker.get().quarkusConfig();
    }

    @Override
    public void stop() {
        // the broker outlives the test class: it is shared by the JVM (or is the machine's own)
    }
}
