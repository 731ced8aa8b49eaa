package io.visionfleet.common.h264;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AccessUnitAssemblerTest {
    private static final byte[] SPS = {0x67, 0x42};
    private static final byte[] PPS = {0x68, (byte) 0xce};
    private static final byte[] IDR_FIRST = {0x65, (byte) 0x88};
    private static final byte[] IDR_SECOND_SLICE = {0x65, 0x10};
    private static final byte[] P_FIRST = {0x41, (byte) 0x9a};

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
        AccessUnitAssembler bounded = new AccessUnitAssembler(10, units::add);
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
}
