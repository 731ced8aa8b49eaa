package io.visionfleet.slam.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import io.visionfleet.slam.tracking.CameraModel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Intrinsics per stream from configuration: scaling to the stream's size, defaults, and clear problems. */
@Tag("quick")
class CameraModelsTest {
    private static CameraModels models(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(SlamConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter()) // Quarkus' "0s" syntax
                .withSources(new MapBackedConfigSource("test", properties) {
                }).build();
        return new CameraModels(config.getConfigMapping(SlamConfig.class));
    }

    @Test
    void calibrationAtAnotherSizeIsScaled() {
        CameraModels m = models(Map.of("fleet.slam.cameras.cam.fx", "800", "fleet.slam.cameras.cam.fy", "790",
                "fleet.slam.cameras.cam.cx", "639.5", "fleet.slam.cameras.cam.cy", "359.5",
                "fleet.slam.cameras.cam.distortion", "0.1,-0.05,0,0",
                "fleet.slam.cameras.cam.width", "1280", "fleet.slam.cameras.cam.height", "720"));
        CameraModels.Resolved r = m.forStream("cam", 640, 360);
        assertThat(r.problem()).isNull();
        assertThat(r.configured()).isTrue();
        CameraModel c = r.model();
        assertThat(c.fx()).isCloseTo(400, within(1e-9));
        assertThat(c.cx()).isCloseTo(319.5, within(1e-9));
        assertThat(c.cy()).isCloseTo(179.5, within(1e-9));
        assertThat(c.distortion()).containsExactly(0.1, -0.05, 0, 0);
    }

    @Test
    void streamsWithoutCalibrationGetTheDefaultFieldOfView() {
        CameraModels.Resolved r = models(Map.of()).forStream("other", 640, 480);
        assertThat(r.configured()).isFalse();
        assertThat(r.model().fx()).isCloseTo(320 / Math.tan(Math.toRadians(35)), within(1e-9));
    }

    @Test
    void intrinsicsThatCannotFitAreExplained() {
        CameraModels m = models(Map.ofEntries(
                Map.entry("fleet.slam.cameras.a.fx", "500"), Map.entry("fleet.slam.cameras.a.fy", "500"),
                Map.entry("fleet.slam.cameras.a.cx", "320"), Map.entry("fleet.slam.cameras.a.cy", "240"),
                Map.entry("fleet.slam.cameras.a.width", "640"), Map.entry("fleet.slam.cameras.a.height", "480"),
                Map.entry("fleet.slam.cameras.b.fx", "500"), Map.entry("fleet.slam.cameras.b.fy", "500"),
                Map.entry("fleet.slam.cameras.b.cx", "320"), Map.entry("fleet.slam.cameras.b.cy", "240"),
                Map.entry("fleet.slam.cameras.b.distortion", "0.1,0.2,0.3")));
        assertThat(m.forStream("a", 640, 360).problem()).contains("another aspect ratio");
        assertThat(m.forStream("a", 320, 240).problem()).isNull();
        assertThat(m.forStream("b", 640, 480).problem()).contains("4 or 5 coefficients");
        assertThat(m.forStream("b", 640, 480).model()).isNull();
        assertThat(models(Map.of("fleet.slam.cameras.c.fx", "-5", "fleet.slam.cameras.c.fy", "500",
                "fleet.slam.cameras.c.cx", "320", "fleet.slam.cameras.c.cy", "240")).forStream("c", 640, 480).problem())
                .contains("focal lengths must be positive");
    }
}
