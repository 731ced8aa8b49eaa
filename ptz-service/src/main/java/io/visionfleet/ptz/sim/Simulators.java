package io.visionfleet.ptz.sim;

import io.visionfleet.ptz.config.PtzConfig;
import io.visionfleet.ptz.driver.PtzCapabilities;

import java.util.function.LongSupplier;

/** Builds the simulated parts of a configured camera. */
public final class Simulators {
    /** Presets a simulated camera stores. */
    public static final int PRESETS = 16;

    private Simulators() {
    }

    public static PtzCapabilities capabilities(PtzConfig.Camera c) {
        return new PtzCapabilities(c.panMin(), c.panMax(), c.tiltMin(), c.tiltMax(), c.zoomMin(), c.zoomMax(), PRESETS,
                true, true);
    }

    /** The camera's motors: speed limits from its control settings, latency from its simulator settings. */
    public static SimulatedPtz motors(PtzConfig.Camera c, LongSupplier nanoClock) {
        PtzConfig.Control k = c.control();
        return new SimulatedPtz(capabilities(c), new SimulatedPtz.Motors(k.maxPanSpeed(), k.maxTiltSpeed(), k.maxZoomRate(),
                c.simulator().latency().toNanos()), new double[]{c.homePan(), c.homeTilt(), c.homeZoom()}, nanoClock);
    }

    public static SimWorld world(PtzConfig.Camera c) {
        PtzConfig.Simulator s = c.simulator();
        return SimWorld.of(s.world(), s.width(), s.height(), c.hfovDeg(), s.fps(), s.worldSeconds());
    }
}
