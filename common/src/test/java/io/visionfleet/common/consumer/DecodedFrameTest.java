package io.visionfleet.common.consumer;

import io.visionfleet.common.rtsp.CaptureClock;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_buffer_get_ref_count;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;

@Tag("quick")
class DecodedFrameTest {
    private static final FrameMeta META = new FrameMeta("s", 1, 1_000, 0, true, CaptureClock.Source.RTCP);

    @Test
    void showsThePictureItWasFilledWithAfterTheDecoderReusedItsFrame() {
        AVFrame decoder = picture(64, 32, 60, 2_000);
        try (DecodedFrame slot = new DecodedFrame()) {
            slot.fill(decoder, META, 1_005);
            paint(decoder, 200, 3_000); // the decoder's next picture, written into the frame the slot took
            Frame image = slot.image();
            assertThat(image.imageWidth).isEqualTo(64);
            assertThat(image.imageHeight).isEqualTo(32);
            assertThat(image.timestamp).isEqualTo(2_000);
            assertThat(grey(image)).as("BGR of luma 60, neutral chroma").isBetween(50, 56);
            assertThat(slot.meta()).isEqualTo(META);
            assertThat(slot.decodedTs()).isEqualTo(1_005);

            slot.fill(decoder, META, 1_070);
            assertThat(grey(slot.image())).as("the refilled slot converts its new picture").isBetween(210, 218);
            assertThat(slot.image().timestamp).isEqualTo(3_000);
        } finally {
            av_frame_free(decoder);
        }
    }

    @Test
    void reusesItsBufferForTheSameSizeAndReallocatesForANewOne() {
        AVFrame small = picture(32, 16, 100, 0);
        AVFrame big = picture(64, 16, 100, 0);
        try (DecodedFrame slot = new DecodedFrame()) {
            slot.fill(small, META, 1_005);
            ByteBuffer first = (ByteBuffer) slot.image().image[0];
            slot.fill(small, META, 1_005);
            assertThat(slot.image().image[0]).isSameAs(first);
            slot.fill(big, META, 1_005);
            assertThat(slot.image().image[0]).isNotSameAs(first);
            assertThat(slot.image().imageWidth).isEqualTo(64);
        } finally {
            av_frame_free(small);
            av_frame_free(big);
        }
    }

    @Test
    void holdsTheDecodersPictureUntilRefilledOrClosed() {
        AVFrame first = picture(32, 16, 100, 0);
        AVFrame second = picture(32, 16, 100, 0);
        try {
            try (DecodedFrame slot = new DecodedFrame()) {
                slot.fill(first, META, 1_005);
                assertThat(av_buffer_get_ref_count(first.buf(0))).as("the decoder's and the slot's").isEqualTo(2);
                slot.fill(second, META, 1_070);
                assertThat(av_buffer_get_ref_count(first.buf(0))).as("let go when refilled").isEqualTo(1);
                assertThat(av_buffer_get_ref_count(second.buf(0))).isEqualTo(2);
            }
            assertThat(av_buffer_get_ref_count(second.buf(0))).as("let go when closed, not left to the GC").isEqualTo(1);
        } finally {
            av_frame_free(first);
            av_frame_free(second);
        }
    }

    /** A YUV 4:2:0 picture of one luma level, neutral chroma, as a decoder hands it out. */
    private static AVFrame picture(int width, int height, int luma, long ptsMicros) {
        AVFrame frame = av_frame_alloc().format(AV_PIX_FMT_YUV420P).width(width).height(height);
        assertThat(av_frame_get_buffer(frame, 0)).isZero();
        paint(frame, luma, ptsMicros);
        return frame;
    }

    /** Fills {@code frame} as a decoder fills the next picture: in place when nobody else holds it, else anew. */
    private static void paint(AVFrame frame, int luma, long ptsMicros) {
        assertThat(av_frame_make_writable(frame)).isZero();
        int[] levels = {luma, 128, 128};
        for (int plane = 0; plane < 3; plane++) {
            int rows = plane == 0 ? frame.height() : (frame.height() + 1) / 2;
            long size = (long) frame.linesize(plane) * rows;
            ByteBuffer bytes = frame.data(plane).capacity(size).asByteBuffer();
            for (int i = 0; i < size; i++) {
                bytes.put(i, (byte) levels[plane]);
            }
        }
        frame.pts(ptsMicros);
    }

    /** The mean of a BGR picture's bytes. */
    private static int grey(Frame image) {
        ByteBuffer bytes = (ByteBuffer) image.image[0];
        long sum = 0;
        for (int y = 0; y < image.imageHeight; y++) {
            for (int x = 0; x < image.imageWidth * 3; x++) {
                sum += bytes.get(y * image.imageStride + x) & 0xff;
            }
        }
        return (int) (sum / ((long) image.imageHeight * image.imageWidth * 3));
    }
}
