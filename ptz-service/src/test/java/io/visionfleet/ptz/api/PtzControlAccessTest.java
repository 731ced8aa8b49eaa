package io.visionfleet.ptz.api;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.common.testing.BrokerResource;
import io.visionfleet.common.testing.ControlAccessContract;

import java.util.List;
import org.junit.jupiter.api.Tag;

/** Every PTZ control endpoint needs the fleet token: moves, modes, presets, calibration ({@link ControlAccessContract}). */
@QuarkusTest
@WithTestResource(BrokerResource.class)
@Tag("integration")
class PtzControlAccessTest extends ControlAccessContract {
    @Override
    protected List<ControlCall> controlCalls() {
        return List.of(
                call("POST", "/ptz/sim/move", "{\"stop\":true}", 200),
                call("PUT", "/ptz/sim/mode", "{\"mode\":\"auto\",\"policy\":\"follow\"}", 200),
                call("PUT", "/ptz/sim/presets/1", null, 204),
                call("POST", "/ptz/sim/presets/1", null, 200),
                call("POST", "/ptz/sim/calibrate", null, 200));
    }

    @Override
    protected List<String> openReads() {
        return List.of("/q/health/live", "/q/metrics", "/ptz", "/ptz/sim/status");
    }
}
