package io.visionfleet.ingest.dashboard;

import io.visionfleet.common.h264.ParameterSets;
import io.visionfleet.common.h264.VideoCodec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Codec strings against known values. The x265 SPSs are libx265's (Debian ffmpeg, 320x240, {@code -x265-params
 * level-idc=...}); the expected strings were read independently from the {@code hvcC} record FFmpeg's MP4 muxer
 * wrote for the same clips.
 */
@Tag("quick")
class CodecStringTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void x265MainAtLevels21And30() {
        assertThat(CodecString.hvc1(HEX.parseHex(
                "42010101600000030090000003000003003fa00a080f165959a4932bc05a020000030002000003003c10")))
                .isEqualTo("hvc1.1.6.L63.90");
        assertThat(CodecString.hvc1(HEX.parseHex(
                "42010101600000030090000003000003005aa00a080f165959a4932bc05a020000030002000003003c10")))
                .isEqualTo("hvc1.1.6.L90.90");
    }

    @Test
    void x265Main10AtLevel2() {
        assertThat(CodecString.hvc1(HEX.parseHex(
                "42010102200000030090000003000003003ca00a080f1365959a4932bc05a020000003002000000303c1")))
                .isEqualTo("hvc1.2.4.L60.90");
    }

    /** The examples of ISO/IEC 14496-15 annex E and WebCodecs' codec registry, written as SPS bytes. */
    @Test
    void theSpecificationsExamples() {
        // Main at level 3.1, progressive, non-packed and frame-only constraints: compatibility bits 1 and 2
        assertThat(CodecString.hvc1(HEX.parseHex("420101016000000300b0000003000003005d"))).isEqualTo("hvc1.1.6.L93.B0");
        // profile space 1 (A), high tier, profile 4, compatibility bit 4 only, level 4 (120), constraint bytes 9D 08
        assertThat(CodecString.hvc1(HEX.parseHex("4201016408000003009d08000003000078"))).isEqualTo("hvc1.A4.10.H120.9D.8");
    }

    @Test
    void anSpsTooShortForItsProfileTierLevelGivesNone() {
        assertThat(CodecString.hvc1(HEX.parseHex("4201010160000003009000000300"))).isNull();
    }

    @Test
    void h264KeepsItsAvc1String() {
        ParameterSets sets = new ParameterSets(HEX.parseHex("6742c01e"), HEX.parseHex("68ce3c80"));
        assertThat(CodecString.of(sets)).isEqualTo("avc1.42c01e");
        ParameterSets h265 = new ParameterSets(VideoCodec.H265, List.of(HEX.parseHex("40010c01"),
                HEX.parseHex("420101016000000300b0000003000003005d"), HEX.parseHex("4401c172")));
        assertThat(CodecString.of(h265)).isEqualTo("hvc1.1.6.L93.B0");
    }
}
