package io.visionfleet.ingest.api;

import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.common.testing.ControlAccessContract;

import java.util.List;
import org.junit.jupiter.api.Tag;

/**
 * Adding and removing streams need the fleet token ({@link ControlAccessContract}); the dashboard's proxy under
 * {@code /api} is checked in {@link io.visionfleet.ingest.dashboard.ApiProxyTest}.
 */
@QuarkusTest
@Tag("integration")
class IngestControlAccessTest extends ControlAccessContract {
    @Override
    protected List<ControlCall> controlCalls() {
        return List.of(
                call("POST", "/streams", "{\"id\":\"access1\",\"url\":\"rtsp://127.0.0.1:1/x\"}", 201),
                call("DELETE", "/streams/access1", null, 204));
    }

    @Override
    protected List<String> openReads() {
        return List.of("/q/health/live", "/q/metrics", "/streams", "/rtsp/status", "/", "/js/api.js");
    }
}
