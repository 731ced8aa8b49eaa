package io.visionfleet.common.h264;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("quick")
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
        assertThat(ParameterSets.insert(VideoCodec.H264, List.of(SPS_HIGH, IDR), List.of(SPS, PPS))).containsExactly(SPS, PPS, IDR);
    }

    @Test
    void picturesThatHaveThemOrAreNotIdrsAreLeftAsTheyAre() {
        ParameterSets sets = new ParameterSets(SPS, PPS);
        AccessUnit p = new AccessUnit(List.of(P_SLICE), 1);
        assertThat(sets.completing(p)).isSameAs(p);
        AccessUnit full = new AccessUnit(List.of(SPS, PPS, IDR), 2);
        assertThat(sets.completing(full)).isSameAs(full);
        List<byte[]> idr = List.of(IDR);
        assertThat(ParameterSets.insert(VideoCodec.H264, idr, List.of())).isSameAs(idr);
    }

    @Test
    void h265StreamsNeedVpsSpsAndPpsAndGetThemInFrontOfAnIrapAfterItsDelimiter() {
        byte[] aud = {0x46, 0x01, 0x10};
        byte[] vps = {0x40, 0x01, 0x0c};
        byte[] sps = {0x42, 0x01, 0x01};
        byte[] pps = {0x44, 0x01, (byte) 0xc1};
        byte[] cra = {0x2a, 0x01, (byte) 0xa0};
        ParameterSets sets = ParameterSets.update(null, new AccessUnit(VideoCodec.H265, List.of(sps, pps, cra), 1));
        assertThat(sets).isNull();
        sets = ParameterSets.update(sets, new AccessUnit(VideoCodec.H265, List.of(vps, sps, pps, cra), 2));
        assertThat(sets.codec()).isEqualTo(VideoCodec.H265);
        assertThat(sets.vps()).isEqualTo(vps);
        assertThat(sets.sps()).isEqualTo(sps);
        assertThat(sets.pps()).isEqualTo(pps);

        AccessUnit completed = sets.completing(new AccessUnit(VideoCodec.H265, List.of(aud, cra), 3));
        assertThat(completed.nalUnits()).containsExactly(aud, vps, sps, pps, cra);
        assertThat(completed.codec()).isEqualTo(VideoCodec.H265);
    }

    @Test
    void aPictureOfAnotherCodecStartsTheSetsOver() {
        ParameterSets h265 = new ParameterSets(VideoCodec.H265, List.of(new byte[]{0x40, 0x01, 0x0c},
                new byte[]{0x42, 0x01, 0x01}, new byte[]{0x44, 0x01, (byte) 0xc1}));
        assertThat(ParameterSets.update(h265, new AccessUnit(List.of(SPS, IDR), 1))).isNull();
        ParameterSets h264 = ParameterSets.update(h265, new AccessUnit(List.of(SPS, PPS, IDR), 2));
        assertThat(h264.codec()).isEqualTo(VideoCodec.H264);
        assertThat(h264.vps()).isNull();
    }
}
