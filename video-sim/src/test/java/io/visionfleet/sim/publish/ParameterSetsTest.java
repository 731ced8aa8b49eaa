package io.visionfleet.sim.publish;

import io.visionfleet.common.h264.AccessUnit;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ParameterSetsTest {
    private static final byte[] AUD = {0x09, (byte) 0xf0};
    private static final byte[] SPS = {0x67, 0x42, (byte) 0xc0, 0x1e};
    private static final byte[] PPS = {0x68, (byte) 0xce, 0x3c, (byte) 0x80};
    private static final byte[] IDR = {0x65, (byte) 0x88, 0x04};
    private static final byte[] P_SLICE = {0x41, (byte) 0x9a, 0x02};

    @Test
    void anIdrWithoutParameterSetsGetsTheLastOnesBeforeItsSlice() {
        ParameterSets sets = new ParameterSets();
        sets.remember(new AccessUnit(List.of(SPS, PPS, IDR), 1));
        AccessUnit bare = new AccessUnit(List.of(AUD, IDR), 7);
        sets.remember(bare);

        AccessUnit completed = sets.completing(bare);

        assertThat(completed.nalUnits()).containsExactly(AUD, SPS, PPS, IDR);
        assertThat(completed.captureTsMs()).isEqualTo(7);
    }

    @Test
    void aPictureThatHasThemOrNothingRememberedIsLeftAsItIs() {
        ParameterSets sets = new ParameterSets();
        AccessUnit before = new AccessUnit(List.of(P_SLICE), 1);
        assertThat(sets.completing(before)).isSameAs(before);

        AccessUnit full = new AccessUnit(List.of(SPS, PPS, IDR), 2);
        sets.remember(full);
        assertThat(sets.completing(full)).isSameAs(full);
    }
}
