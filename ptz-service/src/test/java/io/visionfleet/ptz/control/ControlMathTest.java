package io.visionfleet.ptz.control;

import io.visionfleet.common.mask.CocoRle;
import io.visionfleet.common.messages.TrackedObject;
import io.visionfleet.ptz.TestConfigs;
import io.visionfleet.ptz.config.PtzConfig;
import io.visionfleet.ptz.sim.SimulatedPtz;
import io.visionfleet.ptz.sim.Simulators;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

@Tag("quick")
class ControlMathTest {
    private final Optics optics = new Optics(60, 640, 360);

    @Test
    void pixelsMapToDegreesThroughTheZoomDependentFieldOfView() {
        assertThat(optics.hfovDeg(1)).isCloseTo(60, offset(1e-9));
        // 2x zoom halves the tangent of the half-angle, not the angle: 2 atan(tan 30 / 2) = 32.2 deg
        assertThat(optics.hfovDeg(2)).isCloseTo(32.204, offset(1e-3));
        assertThat(optics.vfovDeg(1)).isCloseTo(35.98, offset(0.01));
        // the picture edge is half the field of view off axis, at any zoom
        assertThat(optics.degrees(320, 1)).isCloseTo(30, offset(1e-9));
        assertThat(optics.degrees(320, 4)).isCloseTo(optics.hfovDeg(4) / 2, offset(1e-9));
        assertThat(optics.degrees(-160, 1)).isCloseTo(-16.102, offset(1e-3));
        assertThat(optics.pixels(optics.degrees(123, 3), 3)).isCloseTo(123, offset(1e-9));
        assertThatThrownBy(() -> new Optics(0, 640, 360)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDeadZoneIgnoresSmallErrorsAndStartsFromZeroAtItsEdge() {
        DeadZone zone = new DeadZone(1.5);
        assertThat(zone.apply(1.4)).isZero();
        assertThat(zone.apply(-1.5)).isZero();
        assertThat(zone.apply(1.6)).isCloseTo(0.1, offset(1e-9));
        assertThat(zone.apply(-4)).isCloseTo(-2.5, offset(1e-9));
        assertThat(zone.inside(0.3)).isTrue();
    }

    @Test
    void theEmaSmoothsWithTheWeightOfTheNewestValue() {
        Ema ema = new Ema(0.25);
        assertThat(ema.update(8)).isEqualTo(8);
        assertThat(ema.update(0)).isEqualTo(6);
        assertThat(ema.update(0)).isEqualTo(4.5);
        assertThatThrownBy(() -> new Ema(0)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A step of 20 degrees on a camera that turns at the commanded rate, limited to 30 deg/s, with 100 ms of dead time:
     * the PID closes it with an overshoot under 5 % of the step, however long the output saturated.
     */
    @Test
    void thePidClosesAStepWithBoundedOvershootAndNoWindup() {
        Pid pid = new Pid(2.5, 0.4, 0.05, 30);
        double dt = 1 / 15.0;
        double position = 0;
        double target = 20;
        double[] delayLine = new double[2]; // 2 frames of dead time
        double peak = 0;
        for (int i = 0; i < 15 * 10; i++) {
            double command = pid.update(target - position, dt);
            position += delayLine[0] * dt;
            delayLine[0] = delayLine[1];
            delayLine[1] = command;
            peak = Math.max(peak, position);
        }
        assertThat(position).isCloseTo(target, offset(0.2));
        assertThat(peak - target).isLessThan(0.05 * target);
    }

    @Test
    void theIntegralDoesNotGrowWhileTheOutputIsSaturated() {
        Pid pid = new Pid(1, 1, 0, 5);
        for (int i = 0; i < 100; i++) {
            assertThat(pid.update(100, 0.1)).isEqualTo(5);
        }
        assertThat(pid.integral()).isZero();
        // once the error flips, the output follows at once instead of unwinding a huge integral
        assertThat(pid.update(-2, 0.1)).isLessThan(0);
    }

    @Test
    void theKalmanVelocityConvergesOnAConstantSpeedTarget() {
        VelocityKalman k = new VelocityKalman(20, 0.3);
        for (int i = 0; i < 30; i++) {
            k.update(10 + 6.0 * i / 15, 1 / 15.0);
        }
        assertThat(k.velocity()).isCloseTo(6, offset(0.3));
        assertThat(k.predict(0.5)).isCloseTo(10 + 6.0 * 29 / 15 + 3, offset(0.3));
    }

    @Test
    void theDelayFitRecoversInterceptAndSlope() {
        DelayCalibration c = new DelayCalibration(0.15);
        assertThat(c.delaySeconds(10)).isEqualTo(0.15);
        c.add(5, 0.2);
        assertThat(c.fit()).isNull(); // one distance says nothing about the slope
        for (double d : new double[]{5, 10, 20, 40}) {
            c.add(d, 0.1 + 0.02 * d);
            c.add(-d, 0.1 + 0.02 * d);
        }
        c.add(5, 0.2); // the first sample repeated keeps the fit exact
        assertThat(c.fit().interceptS()).isCloseTo(0.1, offset(1e-9));
        assertThat(c.fit().slopeSPerDeg()).isCloseTo(0.02, offset(1e-9));
        assertThat(c.delaySeconds(30)).isCloseTo(0.7, offset(1e-9));
    }

    @Test
    void calibrationByTimedMovesMeasuresTheSimulatorsLatencyAndSpeed() {
        long[] nanos = {0};
        PtzConfig config = TestConfigs.ptz(Map.of("cameras.a.stream", "a", "cameras.a.simulator.latency", "120ms",
                "cameras.a.control.max-pan-speed", "50"));
        SimulatedPtz ptz = Simulators.motors(config.cameras().get("a"), () -> nanos[0]);
        ActuationCalibrator calibrator = new ActuationCalibrator(() -> nanos[0] / 1_000_000, ms -> nanos[0] += ms * 1_000_000);
        DelayCalibration.Fit fit = calibrator.calibrate(ptz, new DelayCalibration(0.15));
        // latency, plus half a 10 ms poll on average; travel at 50 deg/s is 0.02 s per degree
        assertThat(fit.interceptS()).isCloseTo(0.125, offset(0.01));
        assertThat(fit.slopeSPerDeg()).isCloseTo(0.02, offset(0.001));
        assertThat(fit.samples()).isEqualTo(2 * ActuationCalibrator.DISTANCES.length);
    }

    @Test
    void theMaskCentroidIsWhereTheObjectReallyIs() {
        // a 10x4 mask: an L shape, a 2x4 column at x 0..1 and a 6x1 foot at x 2..7 on the bottom row
        // column-major runs: columns 0-1: 8 on; columns 2-7: 3 off, 1 on each; columns 8-9: 8 off
        MaskGeometry g = MaskGeometry.fromRle(CocoRle.of(new int[]{0, 8, 3, 1, 3, 1, 3, 1, 3, 1, 3, 1, 3, 1, 8}, 10, 4));
        assertThat(g.left()).isZero();
        assertThat(g.right()).isEqualTo(8);
        assertThat(g.top()).isZero();
        assertThat(g.bottom()).isEqualTo(4);
        // 14 pixels: x centres sum 3*(0.5+1.5) + (0.5..7.5) = 6 + 32 = 38 -> 38/14
        assertThat(g.cx()).isCloseTo(38 / 14.0, offset(1e-9));
        assertThat(g.cy()).isCloseTo((2 * (0.5 + 1.5 + 2.5) + 8 * 3.5) / 14, offset(1e-9));
        TrackedObject boxOnly = new TrackedObject(1, "x", 1, new int[]{10, 20, 30, 40}, 1200, null, null);
        assertThat(MaskGeometry.of(boxOnly).cx()).isEqualTo(25);
        assertThat(MaskGeometry.fromRle(CocoRle.of(new int[]{0, 50}, 10, 4))).as("counts beyond the mask").isNull();
        assertThat(MaskGeometry.of(new TrackedObject(1, "x", 1, new int[]{10, 20, 30, 40}, 1200,
                CocoRle.of(new int[]{0, 50}, 10, 4), null)).cx()).as("the box stands in for a bad mask").isEqualTo(25);
    }
}
