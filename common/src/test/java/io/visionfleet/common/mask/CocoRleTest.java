package io.visionfleet.common.mask;

import io.visionfleet.common.bus.Json;
import io.visionfleet.common.messages.RleString;
import io.visionfleet.common.messages.TrackedObject.MaskRle;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * COCO RLE against known vectors: the strings are what pycocotools 2.0.11's {@code mask.encode} returned for the same
 * masks (as Fortran-ordered uint8 arrays); the comments derive them by hand from the format.
 */
@Tag("quick")
class CocoRleTest {
    @Test
    void aPatchIsEncodedColumnByColumnFromAZeroRun() {
        // a 3x2 patch at (1, 1) of a 5x4 frame: set pixels (row, column) (1, 1), (1, 2), (2, 3); columns read
        // top to bottom: 0000 0100 0100 0010 0000
        MaskPatch patch = new MaskPatch(1, 1, 3, 2, new byte[]{1, 1, 0, 0, 0, 1});
        assertThat(CocoRle.runs(patch, 5, 4)).containsExactly(5, 1, 3, 1, 4, 1, 5);
        // 5, 1, 3, then the differences to the count two before: 0, 1, 0, 1; all single groups, '0' + value
        assertEncodes(patch, 5, 4, "5130101");
        // a first pixel that is set: the zero run comes first, empty
        assertThat(CocoRle.runs(new MaskPatch(0, 0, 2, 1, new byte[]{1, 1}), 2, 2)).containsExactly(0, 1, 1, 1, 1);
        assertEncodes(new MaskPatch(0, 0, 2, 1, new byte[]{1, 1}), 2, 2, "01100");
    }

    @Test
    void negativeDifferencesCarryTheSignBit() {
        // a 10x4 L: columns 0-1 full, then rows 3 of columns 2-7: runs 0, 8, then (3, 1) six times, then 8
        byte[] l = new byte[40];
        for (int r = 0; r < 4; r++) {
            l[r * 10] = 1;
            l[r * 10 + 1] = 1;
        }
        for (int c = 2; c < 8; c++) {
            l[30 + c] = 1;
        }
        MaskPatch patch = new MaskPatch(0, 0, 10, 4, l);
        assertThat(CocoRle.runs(patch, 10, 4)).containsExactly(0, 8, 3, 1, 3, 1, 3, 1, 3, 1, 3, 1, 3, 1, 8);
        // the fourth count 1 - 8 = -7: low five bits 11001 (sign bit set, nothing more) = 25 -> 'I'; 8 - 3 = 5 last
        assertEncodes(patch, 10, 4, "083I00000000005");
    }

    @Test
    void largeCountsTakeSeveralGroups() {
        // 720p: column 300-301, rows 100-499, and columns 302-303 at row 600
        byte[] pixels = new byte[501 * 4];
        for (int r = 0; r < 400; r++) {
            pixels[r * 4] = 1;
            pixels[r * 4 + 1] = 1;
        }
        pixels[500 * 4 + 2] = 1;
        pixels[500 * 4 + 3] = 1;
        MaskPatch patch = new MaskPatch(300, 100, 4, 501, pixels);
        assertThat(CocoRle.runs(patch, 1280, 720)).containsExactly(216_100, 400, 320, 400, 820, 1, 719, 1, 702_839);
        // 216100 = 6*32^3 + 19*32^2 + 1*32 + 4: groups 4, 1, 19 with the continuation bit 0x20 ('T', 'Q', 'c'), then
        // 6 ('6'); 19 has the sign bit, so the group 6 must follow even with nothing left above it
        // 400 = 12*32 + 16: '`' (16 | 0x20), '<'; 320 = 10*32 + 0: 'P', ':'; 400 - 400 = 0: '0'
        // 820 - 320 = 500 = 15*32 + 20: 'd', '?'; 1 - 400 = -399 = -13*32 + 17: 'a', then -13 & 31 = 19: 'C'
        // 719 - 820 = -101 = -4*32 + 27: 'k', 'L'; 1 - 1 = 0: '0'; 702839 - 719 = 702120: 'X', 'e', ']', 'e', '0'
        assertEncodes(patch, 1280, 720, "TQc6`<P:0d?aCkL0Xe]e0");
    }

    @Test
    void emptyFullAndSingleLineMasks() {
        assertEncodes(new MaskPatch(0, 0, 0, 0, new byte[0]), 4, 3, "<"); // one run of 12 zeros
        assertEncodes(new MaskPatch(0, 0, 4, 3, new byte[]{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}), 4, 3, "0<");
        // 01101 as one row or one column: 1, 2, 1, then 1 - 2 = -1 = 11111 -> 'O'
        assertEncodes(new MaskPatch(0, 0, 5, 1, new byte[]{0, 1, 1, 0, 1}), 5, 1, "121O");
        assertEncodes(new MaskPatch(0, 0, 1, 5, new byte[]{0, 1, 1, 0, 1}), 1, 5, "121O");
    }

    @Test
    void countsAreReadInEitherCocoForm() throws Exception {
        MaskRle uncompressed = Json.MAPPER.readValue("{\"size\":[4,5],\"counts\":[5,1,3,1,4,1,5]}", MaskRle.class);
        MaskRle compressed = Json.MAPPER.readValue("{\"size\":[4,5],\"counts\":\"5130101\"}", MaskRle.class);
        assertThat(uncompressed.counts()).isEqualTo(compressed.counts()).isEqualTo("5130101");
        assertThat(Json.MAPPER.writeValueAsString(compressed)).isEqualTo("{\"size\":[4,5],\"counts\":\"5130101\"}");
        assertThat(CocoRle.decode(compressed)).containsExactly(
                0, 0, 0, 0, 0,
                0, 1, 1, 0, 0,
                0, 0, 0, 1, 0,
                0, 0, 0, 0, 0);
    }

    @Test
    void malformedMasksAreRefused() {
        assertThatThrownBy(() -> CocoRle.runs(mask(4, 5, "5131"))).as("short of the size")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CocoRle.runs(mask(4, 5, RleString.compress(new int[]{25, -5}))))
                .as("negative").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CocoRle.runs(mask(4, 5, "5 30101"))).as("outside the alphabet")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CocoRle.runs(mask(720, 1280, "TQc"))).as("cut off")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CocoRle.runs(mask(720, 1280, "TTTTTT6"))).as("beyond int")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CocoRle.runs(new MaskRle(new int[]{4}, "<"))).as("size")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CocoRle.runs(new MaskPatch(3, 0, 3, 1, new byte[3]), 5, 4)).as("beyond the frame")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomMasksSurviveTheRoundTrip() {
        Random random = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int frameWidth = 1 + random.nextInt(40);
            int frameHeight = 1 + random.nextInt(40);
            int w = random.nextInt(frameWidth + 1);
            int h = random.nextInt(frameHeight + 1);
            int x = random.nextInt(frameWidth - w + 1);
            int y = random.nextInt(frameHeight - h + 1);
            byte[] bits = new byte[w * h];
            double density = random.nextDouble();
            for (int i = 0; i < bits.length; i++) {
                bits[i] = (byte) (random.nextDouble() < density ? 255 : 0);
            }
            byte[] decoded = CocoRle.decode(CocoRle.encode(new MaskPatch(x, y, w, h, bits), frameWidth, frameHeight));
            for (int r = 0; r < frameHeight; r++) {
                for (int c = 0; c < frameWidth; c++) {
                    boolean inside = r >= y && r < y + h && c >= x && c < x + w && bits[(r - y) * w + (c - x)] != 0;
                    assertThat(decoded[r * frameWidth + c]).isEqualTo((byte) (inside ? 1 : 0));
                }
            }
        }
    }

    @Test
    void anyIntCountsSurviveTheStringForm() {
        Random random = new Random(11);
        for (int trial = 0; trial < 200; trial++) {
            int[] counts = random.ints(random.nextInt(20), 0, trial % 2 == 0 ? 64 : Integer.MAX_VALUE).toArray();
            assertThat(RleString.expand(RleString.compress(counts))).containsExactly(counts);
        }
        int[] extremes = {0, Integer.MAX_VALUE, 0, Integer.MIN_VALUE, Integer.MAX_VALUE};
        assertThat(RleString.expand(RleString.compress(extremes))).containsExactly(extremes);
    }

    private static void assertEncodes(MaskPatch patch, int frameWidth, int frameHeight, String counts) {
        MaskRle rle = CocoRle.encode(patch, frameWidth, frameHeight);
        assertThat(rle.size()).containsExactly(frameHeight, frameWidth);
        assertThat(rle.counts()).isEqualTo(counts);
        assertThat(CocoRle.runs(rle)).containsExactly(CocoRle.runs(patch, frameWidth, frameHeight));
    }

    private static MaskRle mask(int height, int width, String counts) {
        return new MaskRle(new int[]{height, width}, counts);
    }
}
