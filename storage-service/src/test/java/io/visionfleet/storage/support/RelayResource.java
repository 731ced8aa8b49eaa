package io.visionfleet.storage.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.visionfleet.common.testing.RelayProcess;

import java.util.Map;

/**
 * The real ingest-server relay for a {@code @QuarkusTest} of storage-service, started before the service so it
 * records from its first seconds: HTTP 18283, RTSP 18683, relaying {@link TestClips#clip()} in a loop as stream
 * {@value #STREAM}. Points the service's consumer at it.
 */
public class RelayResource implements QuarkusTestResourceLifecycleManager {
    public static final String STREAM = "st-cam1";
    private static RelayProcess relay;

    /** The running relay, e.g. to restart it or add a source. */
    public static RelayProcess relay() {
        return relay;
    }

    @Override
    public Map<String, String> start() {
        relay = RelayProcess.start(18283, 18683);
        relay.addFileSource(STREAM, TestClips.clip());
        return Map.of("fleet.consumer.relay-url", relay.rtspBase(), "fleet.consumer.streams", STREAM);
    }

    @Override
    public void stop() {
        if (relay != null) {
            relay.close();
        }
    }
}
