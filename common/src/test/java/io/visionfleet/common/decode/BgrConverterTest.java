package io.visionfleet.common.decode;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;

@Tag("quick")
class BgrConverterTest {
    /**
     * swscale's vector code writes past the end of narrow pictures; without room for it the heap is corrupted and
     * the C library aborts the JVM (it did here within a few hundred 8x8 pictures).
     */
    @Test
    void convertsNarrowPicturesWithoutWritingPastTheirBuffer() {
        int converted = 0;
        for (int round = 0; round < 10; round++) {
            for (int width = 2; width <= 64; width += 2) {
                for (int height = 2; height <= 16; height += 2) {
                    AVFrame picture = av_frame_alloc().format(AV_PIX_FMT_YUV420P).width(width).height(height);
                    assertThat(av_frame_get_buffer(picture, 0)).isZero();
                    try (BgrConverter converter = new BgrConverter()) {
                        Frame bgr = converter.convert(picture);
                        assertThat(bgr.imageWidth).isEqualTo(width);
                        assertThat(bgr.imageHeight).isEqualTo(height);
                        converted++;
                    } finally {
                        av_frame_free(picture);
                    }
                }
            }
        }
        assertThat(converted).isEqualTo(10 * 32 * 8);
    }
}
