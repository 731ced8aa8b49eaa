package io.visionfleet.sim.publish;

import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.sim.scene.SyntheticScene;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("quick")
class LiveH264EncoderTest {
    @Test
    void everyPictureComesOutAsItsOwnAccessUnitWithIdrsAtTheGopAndParameterSetsInFront() {
        SyntheticScene scene = new SyntheticScene(160, 96, 2);
        byte[] bgr = new byte[160 * 96 * 3];
        List<AccessUnit> units = new ArrayList<>();
        try (LiveH264Encoder encoder = new LiveH264Encoder(160, 96, 30, 10)) {
            for (int i = 0; i < 25; i++) {
                scene.render(i, bgr);
                units.add(encoder.encode(bgr, 1000L + i));
            }
        }
        assertThat(units).doesNotContainNull().hasSize(25);
        assertThat(units).extracting(AccessUnit::captureTs).startsWith(1000L, 1001L).endsWith(1024L);
        assertThat(units.get(0).isIdr()).isTrue();
        assertThat(units.get(10).isIdr()).isTrue();
        assertThat(units.get(5).isIdr()).isFalse();
        assertThat(units.get(0).nalUnits()).extracting(AccessUnit::nalType).contains(AccessUnit.NAL_SPS, AccessUnit.NAL_PPS);
        // each access unit holds exactly one picture: one coded slice NAL unit (types 1..5)
        for (AccessUnit au : units) {
            assertThat(au.nalUnits().stream().filter(n -> AccessUnit.nalType(n) >= 1 && AccessUnit.nalType(n) <= 5)).hasSize(1);
        }
    }
}
