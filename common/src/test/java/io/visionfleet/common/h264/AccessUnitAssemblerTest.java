package io.visionfleet.common.h264;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("quick")
class AccessUnitAssemblerTest {
    private static final byte[] SPS = {0x67, 0x42};
    private static final byte[] PPS = {0x68, (byte) 0xce};
    private static final byte[] IDR_FIRST = {0x65, (byte) 0x88};
    private static final byte[] IDR_SECOND_SLICE = {0x65, 0x10};
    private static final byte[] P_FIRST = {0x41, (byte) 0x9a};
    private static final byte[] VPS = {0x40, 0x01, 0x0c};
    private static final byte[] HEVC_SPS = {0x42, 0x01, 0x01};
    private static final byte[] HEVC_PPS = {0x44, 0x01, (byte) 0xc1};
    private static final byte[] IDR_W_RADL_FIRST = {0x26, 0x01, (byte) 0xaf};
    private static final byte[] IDR_W_RADL_SECOND = {0x26, 0x01, 0x20};
    private static final byte[] CRA_FIRST = {0x2a, 0x01, (byte) 0xa0};
    private static final byte[] TRAIL_FIRST = {0x02, 0x01, (byte) 0xd0};
    private static final byte[] TRAIL_SECOND = {0x02, 0x01, 0x10};
    private static final byte[] SUFFIX_SEI = {0x50, 0x01, 0x05};

    private final List<AccessUnit> units = new ArrayList<>();
    private final AccessUnitAssembler assembler = new AccessUnitAssembler(units::add);

    @Test
    void groupsParameterSetsAndSlicesIntoPictures() {
        assembler.accept(SPS, 10);
        assembler.accept(PPS, 10);
        assembler.accept(IDR_FIRST, 10);
        assembler.accept(IDR_SECOND_SLICE, 11);
        assembler.accept(P_FIRST, 40);
        assembler.accept(P_FIRST, 70);
        assembler.flush();

        assertThat(units).hasSize(3);
        assertThat(units.get(0).nalUnits()).containsExactly(SPS, PPS, IDR_FIRST, IDR_SECOND_SLICE);
        assertThat(units.get(0).isIdr()).isTrue();
        assertThat(units.get(1).isIdr()).isFalse();
        assertThat(units).extracting(AccessUnit::captureTs).containsExactly(10L, 40L, 70L);
    }

    @Test
    void eachPictureIsStampedWithTheArrivalOfItsFirstNalUnitEvenWhenTheyArriveTogether() {
        assembler.accept(P_FIRST, 100);
        assembler.accept(P_FIRST, 100);
        assembler.accept(P_FIRST, 99);
        assembler.flush();
        assertThat(units).extracting(AccessUnit::captureTs).containsExactly(100L, 100L, 99L);
    }

    @Test
    void aPictureOverTheSizeLimitIsDroppedWithTheRestOfItsSlices() {
        AccessUnitAssembler bounded = new AccessUnitAssembler(VideoCodec.H264, 10, units::add);
        bounded.accept(new byte[]{0x65, (byte) 0x88, 1, 2, 3, 4, 5, 6}, 1);
        bounded.accept(new byte[]{0x65, 0x10, 1, 2, 3, 4, 5, 6}, 1); // a further slice: 16 bytes in all
        bounded.accept(new byte[]{0x65, 0x10, 7}, 1);
        bounded.accept(P_FIRST, 2);
        bounded.flush();
        assertThat(bounded.droppedAccessUnits()).isEqualTo(1);
        assertThat(units).hasSize(1);
        assertThat(units.get(0).nalUnits()).containsExactly(P_FIRST);
    }

    @Test
    void aFloodOfNalUnitsThatNeverStartAPictureIsBoundedAndDropped() {
        byte[] nextSlice = {0x41, 0x10};
        assembler.accept(P_FIRST, 1);
        for (int i = 0; i < 3 * AccessUnitAssembler.MAX_NALS; i++) {
            assembler.accept(nextSlice, 1);
        }
        assembler.accept(P_FIRST, 2);
        assembler.flush();
        assertThat(assembler.droppedAccessUnits()).isEqualTo(1);
        assertThat(units).extracting(AccessUnit::captureTs).containsExactly(2L);
    }

    @Test
    void parameterSetsWithoutPictureAreNotEmitted() {
        assembler.accept(SPS, 1);
        assembler.accept(PPS, 1);
        assembler.flush();
        assertThat(units).isEmpty();
    }

    @Test
    void groupsH265UnitsIntoPicturesAtTheirFirstSliceSegment() {
        assembler.accept(VPS, 10);
        assembler.accept(HEVC_SPS, 10);
        assembler.accept(HEVC_PPS, 10);
        assembler.accept(IDR_W_RADL_FIRST, 10);
        assembler.accept(IDR_W_RADL_SECOND, 11);
        assembler.accept(SUFFIX_SEI, 11);
        assembler.accept(TRAIL_FIRST, 40);
        assembler.accept(TRAIL_SECOND, 41);
        assembler.accept(CRA_FIRST, 70);
        assembler.flush();

        assertThat(units).extracting(AccessUnit::codec).containsOnly(VideoCodec.H265);
        assertThat(units.get(0).nalUnits()).containsExactly(VPS, HEVC_SPS, HEVC_PPS, IDR_W_RADL_FIRST, IDR_W_RADL_SECOND,
                SUFFIX_SEI);
        assertThat(units.get(1).nalUnits()).containsExactly(TRAIL_FIRST, TRAIL_SECOND);
        assertThat(units).extracting(AccessUnit::isIdr).containsExactly(true, false, true);
        assertThat(units).extracting(AccessUnit::captureTs).containsExactly(10L, 40L, 70L);
    }

    @Test
    void aNalUnitThatProvesAnotherCodecEndsThePictureAndSwitches() {
        assembler.accept(VPS, 1);
        assembler.accept(HEVC_SPS, 1);
        assembler.accept(HEVC_PPS, 1);
        assembler.accept(IDR_W_RADL_FIRST, 1);
        assembler.accept(SPS, 2);
        assembler.accept(PPS, 2);
        assembler.accept(IDR_FIRST, 2);
        assembler.accept(VPS, 3);
        assembler.accept(CRA_FIRST, 3);
        assembler.flush();

        assertThat(units).extracting(AccessUnit::codec).containsExactly(VideoCodec.H265, VideoCodec.H264, VideoCodec.H265);
        assertThat(units.get(1).nalUnits()).containsExactly(SPS, PPS, IDR_FIRST);
        assertThat(assembler.codec()).isEqualTo(VideoCodec.H265);
    }

    @Test
    void aDeclaredCodecTakesPicturesBeforeAnyParameterSet() {
        assembler.declare(VideoCodec.H265);
        assembler.accept(TRAIL_FIRST, 1);
        assembler.accept(TRAIL_FIRST, 2);
        assembler.flush();
        assertThat(units).extracting(AccessUnit::codec).containsExactly(VideoCodec.H265, VideoCodec.H265);
        assertThat(assembler.droppedNals()).isZero();
    }

    @Test
    void headersInvalidForTheCodecAreDroppedAndCounted() {
        assembler.accept(new byte[]{0x1e, 0x22}, 1); // H.264 type 30: unspecified
        assembler.accept(P_FIRST, 1);
        assembler.accept(VPS, 2);
        assembler.accept(new byte[]{0x52, 0x01, 0x00}, 2); // H.265 type 41: reserved
        assembler.accept(new byte[]{0x02, 0x00, (byte) 0x80}, 2); // nuh_temporal_id_plus1 0
        assembler.accept(new byte[]{0x02}, 2); // one byte of a two-byte header
        assembler.flush();
        assertThat(assembler.droppedNals()).isEqualTo(4);
        assertThat(units).extracting(AccessUnit::codec).containsExactly(VideoCodec.H264);
    }
}
