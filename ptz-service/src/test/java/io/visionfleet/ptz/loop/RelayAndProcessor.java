package io.visionfleet.ptz.loop;

import io.visionfleet.common.testing.RelayProcess;
import io.visionfleet.common.testing.ServiceProcess;

import java.net.URI;
import java.util.Map;

/**
 * The real fleet upstream of ptz-service for end-to-end tests: ingest-server (the relay) and frame-processor with the
 * motion engine following {@code streams}, as child processes. frame-processor's packaged jar is needed: ptz-service's
 * pom orders that build first.
 */
final class RelayAndProcessor implements AutoCloseable {
    private final RelayProcess relay;
    private final ServiceProcess processor;

    private RelayAndProcessor(RelayProcess relay, ServiceProcess processor) {
        this.relay = relay;
        this.processor = processor;
    }

    static RelayAndProcessor start(int relayHttp, int relayRtsp, int processorHttp, String... streams) {
        RelayProcess relay = RelayProcess.start(relayHttp, relayRtsp);
        try {
            return new RelayAndProcessor(relay, ServiceProcess.start("frame-processor", ServiceProcess.siblingJar(
                    "frame-processor", "fleet.test.processor-jar"), processorHttp, "512m", Map.of(
                    "fleet.consumer.relay-url", relay.rtspBase(), "fleet.consumer.streams", String.join(",", streams),
                    "fleet.consumer.follow-stream-events", "false", "fleet.processor.engine", "motion")));
        } catch (RuntimeException e) {
            relay.close();
            throw e;
        }
    }

    /** The relay's WebSocket base, where cameras publish. */
    static URI ingest(int relayHttp) {
        return URI.create("ws://127.0.0.1:" + relayHttp);
    }

    @Override
    public void close() {
        processor.close();
        relay.close();
    }
}
