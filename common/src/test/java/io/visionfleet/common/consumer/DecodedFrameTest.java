package io.visionfleet.common.consumer;

import io.visionfleet.common.rtsp.CaptureClock;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("quick")
class DecodedFrameTest {
    private static final FrameMeta META = new FrameMeta("s", 1, 1_000, 0, true, CaptureClock.Source.RTCP);

    @Test
    void copiesEveryRowWhateverTheSourceRowPadding() {
        int width = 5;
        int height = 4;
        // a grabber's picture rows are padded to its own alignment: 64 bytes here against 16 in the slot
        try (Frame src = new Frame(width, height, Frame.DEPTH_UBYTE, 3, 64); DecodedFrame slot = new DecodedFrame()) {
            fill(src, 7);
            slot.fill(src, META, 1_005);
            Frame copy = slot.image();
            assertThat(copy.imageStride).isLessThan(src.imageStride);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width * 3; x++) {
                    assertThat(((ByteBuffer) copy.image[0]).get(y * copy.imageStride + x))
                            .as("row %d byte %d", y, x).isEqualTo(pixel(7, y, x));
                }
            }
            assertThat(slot.meta()).isEqualTo(META);
            assertThat(slot.decodedTs()).isEqualTo(1_005);
        }
    }

    @Test
    void reusesItsBufferForTheSameSizeAndReallocatesForANewOne() {
        try (Frame small = new Frame(8, 8, Frame.DEPTH_UBYTE, 3); Frame big = new Frame(16, 8, Frame.DEPTH_UBYTE, 3);
             DecodedFrame slot = new DecodedFrame()) {
            slot.fill(small, META, 1_005);
            Frame first = slot.image();
            slot.fill(small, META, 1_005);
            assertThat(slot.image()).isSameAs(first);
            slot.fill(big, META, 1_005);
            assertThat(slot.image()).isNotSameAs(first);
            assertThat(slot.image().imageWidth).isEqualTo(16);
            assertThat(first.opaque).as("the old buffer is released, not left to the GC").isNull();
        }
    }

    private static void fill(Frame frame, int seed) {
        ByteBuffer buffer = (ByteBuffer) frame.image[0];
        for (int y = 0; y < frame.imageHeight; y++) {
            for (int x = 0; x < frame.imageWidth * 3; x++) {
                buffer.put(y * frame.imageStride + x, pixel(seed, y, x));
            }
        }
    }

    private static byte pixel(int seed, int y, int x) {
        return (byte) (seed * 31 + y * 17 + x);
    }
}
