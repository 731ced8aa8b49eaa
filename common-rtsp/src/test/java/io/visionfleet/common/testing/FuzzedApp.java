package io.visionfleet.common.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The test profile of a REST fuzz test ({@code @TestProfile(FuzzedApp.class)}): the service runs with its test
 * configuration in an application of its own, so streams, sources and camera moves the fuzzer creates do not leak
 * into the other test classes.
 */
public class FuzzedApp implements QuarkusTestProfile {
}
