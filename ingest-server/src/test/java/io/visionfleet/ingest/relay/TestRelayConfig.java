package io.visionfleet.ingest.relay;

import java.time.Duration;

/** Relay settings for tests that build relay parts without the application. */
public record TestRelayConfig(int readerQueueBytes, int gopCacheBytes, int senderReportSeconds) implements RelayConfig {
    public static TestRelayConfig defaults() {
        return new TestRelayConfig(4 << 20, 32 << 20, 5);
    }

    @Override
    public int port() {
        return 18554;
    }

    @Override
    public String bindHost() {
        return "127.0.0.1";
    }

    @Override
    public String advertisedHost() {
        return "localhost";
    }

    @Override
    public int sessionTimeoutSeconds() {
        return 60;
    }

    @Override
    public Duration requestTimeout() {
        return Duration.ofSeconds(10);
    }

    @Override
    public int maxRequestBytes() {
        return 16384;
    }

    @Override
    public int maxInterleavedBytes() {
        return 2048;
    }

    @Override
    public int ioThreads() {
        return 1;
    }

    @Override
    public int maxClients() {
        return 16;
    }

    @Override
    public int maxStreams() {
        return 64;
    }

    @Override
    public int sendBufferBytes() {
        return 65536;
    }

    @Override
    public Duration announceInterval() {
        return Duration.ZERO;
    }
}
