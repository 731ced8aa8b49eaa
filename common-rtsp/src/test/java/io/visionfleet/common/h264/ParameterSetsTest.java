package io.visionfleet.common.h264;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ParameterSetsTest {
    private static final byte[] AUD = {0x09, (byte) 0xf0};
    private static final byte[] SEI = {0x06, 0x05, 0x01, 0x00};
    private static final byte[] SPS = {0x67, 0x42, (byte) 0xc0, 0x1e};
    private static final byte[] SPS_HIGH = {0x67, 0x64, 0x00, 0x28};
    private static final byte[] PPS = {0x68, (byte) 0xce, 0x3c, (byte) 0x80};
    private static final byte[] IDR = {0x65, (byte) 0x88, 0x04};
    private static final byte[] P_SLICE = {0x41, (byte) 0x9a, 0x02};

    @Test
    void theStreamHasParameterSetsOnceItCarriedBothAndKeepsTheSameOnesUntilOneChanges() {
        ParameterSets sets = ParameterSets.update(null, new AccessUnit(List.of(SPS, IDR), 1));
        assertThat(sets).isNull();
        sets = ParameterSets.update(sets, new AccessUnit(List.of(SPS, PPS, IDR), 2));
        assertThat(sets.sps()).isEqualTo(SPS);
        assertThat(ParameterSets.update(sets, new AccessUnit(List.of(P_SLICE), 3))).isSameAs(sets);
        assertThat(ParameterSets.update(sets, new AccessUnit(List.of(SPS.clone(), PPS.clone(), IDR), 4))).isSameAs(sets);

        ParameterSets changed = ParameterSets.update(sets, new AccessUnit(List.of(SPS_HIGH, IDR), 5));
        assertThat(changed.sps()).isEqualTo(SPS_HIGH);
        assertThat(changed.pps()).isEqualTo(PPS);
        assertThat(changed.profileLevelId()).isEqualTo("640028");
        assertThat(sets.spropParameterSets()).isEqualTo("Z0LAHg==,aM48gA==");
    }

    @Test
    void parameterSetsOfAbsurdSizeAreNotRemembered() {
        ParameterSets sets = ParameterSets.update(null, new AccessUnit(List.of(SPS, PPS, IDR), 1));
        byte[] huge = new byte[ParameterSets.MAX_BYTES + 1];
        huge[0] = 0x67;
        assertThat(ParameterSets.update(sets, new AccessUnit(List.of(huge, IDR), 2))).isSameAs(sets);
        assertThat(ParameterSets.update(null, new AccessUnit(List.of(new byte[]{0x67}, PPS, IDR), 3))).isNull();
    }

    @Test
    void anIdrWithoutParameterSetsGetsThemAfterItsDelimiterAndBeforeItsSei() {
        ParameterSets sets = new ParameterSets(SPS, PPS);
        AccessUnit bare = new AccessUnit(List.of(AUD, SEI, IDR), 7);

        AccessUnit completed = sets.completing(bare);

        assertThat(completed.nalUnits()).containsExactly(AUD, SPS, PPS, SEI, IDR);
        assertThat(completed.captureTs()).isEqualTo(7);
    }

    @Test
    void aPartialSetIsReplacedNotDoubled() {
        assertThat(ParameterSets.insert(List.of(SPS_HIGH, IDR), List.of(SPS, PPS))).containsExactly(SPS, PPS, IDR);
    }

    @Test
    void picturesThatHaveThemOrAreNotIdrsAreLeftAsTheyAre() {
        ParameterSets sets = new ParameterSets(SPS, PPS);
        AccessUnit p = new AccessUnit(List.of(P_SLICE), 1);
        assertThat(sets.completing(p)).isSameAs(p);
        AccessUnit full = new AccessUnit(List.of(SPS, PPS, IDR), 2);
        assertThat(sets.completing(full)).isSameAs(full);
        List<byte[]> idr = List.of(IDR);
        assertThat(ParameterSets.insert(idr, List.of())).isSameAs(idr);
    }
}
