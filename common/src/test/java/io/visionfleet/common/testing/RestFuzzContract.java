package io.visionfleet.common.testing;

import io.quarkus.test.common.http.TestHTTPResource;
import org.junit.jupiter.api.Test;

import java.net.URI;

/**
 * The REST fuzz every service passes (docs/reliability.md): extend it in a {@code @QuarkusTest} class, with
 * {@code @TestProfile(FuzzedApp.class)} or a profile of its own, and name the service's endpoints in {@link #fuzzer}.
 */
public abstract class RestFuzzContract {
    /**
     * Per service, in every run of the suite: five services make 12,500. A deeper campaign is
     * {@code -Dfuzz.requests=10000} (docs/reliability.md).
     */
    private static final int REQUESTS = Integer.getInteger("fuzz.requests", 2_500);
    /** Heap after GC may grow by the state valid-by-chance requests create (streams, sources), not by leaks. */
    private static final long MAX_HEAP_GROWTH = 64L << 20;

    @TestHTTPResource("/")
    URI base;

    /** The fuzzer of this service at {@code base}, with its endpoints, credentials and health requests. */
    protected abstract RestFuzzer fuzzer(URI base);

    @Test
    void everyEndpointRefusesHostileInputAndKeepsServing() throws InterruptedException {
        fuzzer(base).attack(REQUESTS).assertRuleKept(REQUESTS, MAX_HEAP_GROWTH);
    }
}
