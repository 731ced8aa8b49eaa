package io.visionfleet.ingest.fmp4;

import io.visionfleet.common.h264.VideoCodec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** SPS fields an MP4 sample entry needs, from parameter sets real encoders wrote; garbage is refused, never misread. */
@Tag("quick")
class SpsSummaryTest {
    /** libx264 (preset veryfast, High, 4:2:0) at 642x362: 41x23 macroblocks, cropped by 2 columns and 6 rows. */
    private static final byte[] X264_HIGH_642X362 = HexFormat.of().parseHex("67640016acb405217f11242000000300200000030281e2c5d4");
    /** libx265 Main at 322x242, level 2: conformance window of 6 luma samples right and bottom. */
    private static final byte[] X265_MAIN_322X242 = HexFormat.of().parseHex(
            "42010101600000030090000003000003003ca00a480f9c9265959a4932bc05a020000003002000000303c1");

    @Test
    void readsTheCroppedSizeOfAnH264HighProfileSps() {
        SpsSummary sps = SpsSummary.of(VideoCodec.H264, X264_HIGH_642X362);
        assertThat(sps.width()).isEqualTo(642);
        assertThat(sps.height()).isEqualTo(362);
        assertThat(sps.chromaFormat()).isEqualTo(1);
        assertThat(sps.bitDepthLuma()).isEqualTo(8);
    }

    @Test
    void readsSizeAndProfileTierLevelOfAnH265Sps() {
        SpsSummary sps = SpsSummary.of(VideoCodec.H265, X265_MAIN_322X242);
        assertThat(sps.width()).isEqualTo(322);
        assertThat(sps.height()).isEqualTo(242);
        assertThat(sps.chromaFormat()).isEqualTo(1);
        assertThat(sps.bitDepthChroma()).isEqualTo(8);
        assertThat(sps.profileTierLevel()[0]).as("general profile space 0, Main tier, Main profile").isEqualTo((byte) 1);
        assertThat(sps.profileTierLevel()[11] & 0xff).as("general_level_idc").isEqualTo(60);
    }

    @Test
    void truncatedAndRandomSpsBytesAreRefusedWithAReason() {
        int refused = 0;
        for (int length = 0; length < X264_HIGH_642X362.length; length++) {
            byte[] truncated = Arrays.copyOf(X264_HIGH_642X362, length);
            try {
                SpsSummary sps = SpsSummary.of(VideoCodec.H264, truncated);
                assertThat(sps.width() + "x" + sps.height()).as("cut only after the fields read").isEqualTo("642x362");
            } catch (IllegalArgumentException e) {
                refused++;
            }
        }
        assertThat(refused).as("every cut before the cropping offsets").isGreaterThanOrEqualTo(9);
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] garbage = new byte[random.nextInt(64)];
            random.nextBytes(garbage);
            VideoCodec codec = i % 2 == 0 ? VideoCodec.H264 : VideoCodec.H265;
            try {
                SpsSummary sps = SpsSummary.of(codec, garbage);
                assertThat(sps.width()).isBetween(1, SpsSummary.MAX_SIDE);
                assertThat(sps.height()).isBetween(1, SpsSummary.MAX_SIDE);
            } catch (IllegalArgumentException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
        }
    }
}
