package io.visionfleet.common.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The test profile of a REST fuzz test ({@code @TestProfile(FuzzedApp.class)}): the service runs with its test
 * configuration in an application of its own, so streams, sources and camera moves the fuzzer creates do not leak
 * into the other test classes.
 */
public class FuzzedApp implements QuarkusTestProfile {
    /** The fuzzer sends wrong and missing tokens by the hundred: they are answered at once, not slowed down. */
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("fleet.api.failure-delay.free-failures", "1000000");
    }
}
