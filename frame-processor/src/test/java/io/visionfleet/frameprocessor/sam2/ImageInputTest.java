package io.visionfleet.frameprocessor.sam2;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * The encoder input equals what the reference predictor's loader makes of a frame: Pillow's resize (the committed
 * vtest case, 768x576 to 1024x1024), then {@code (v / 255 - mean) / std} in float32, RGB planes.
 */
@Tag("quick")
class ImageInputTest {
    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};
    private static final int SIDE = 1024;

    @Test
    void pilBicubicGivesTheReferenceLoadersTensorExactly() throws Exception {
        try (PointerScope scope = new PointerScope()) {
            Mat source = PilResizeCases.VTEST.source();
            // the frame as a region of a larger picture: rows are further apart than its width
            Mat framed = new Mat();
            copyMakeBorder(source, framed, 3, 5, 7, 11, BORDER_CONSTANT);
            FloatBuffer input = fill(Sam2Config.Resize.PIL_BICUBIC, framed.apply(new Rect(7, 3, source.cols(), source.rows())));

            assertThat(maxDifference(input, reference(PilResizeCases.VTEST.expected()))).isZero();
        }
    }

    @Test
    void linearResizesWithOpenCvsBilinearFilter() throws Exception {
        try (PointerScope scope = new PointerScope()) {
            Mat source = PilResizeCases.VTEST.source();
            Mat bilinear = new Mat();
            resize(source, bilinear, new Size(SIDE, SIDE), 0, 0, INTER_LINEAR);
            FloatBuffer input = fill(Sam2Config.Resize.LINEAR, source);

            assertThat(maxDifference(input, reference(bilinear))).isZero();
            assertThat(maxDifference(input, reference(PilResizeCases.VTEST.expected())))
                    .as("the test data tells the two filters apart").isGreaterThan(0.1f);
        }
    }

    private static FloatBuffer fill(Sam2Config.Resize filter, Mat frame) {
        try (ImageInput input = new ImageInput(SIDE, filter)) {
            input.fill(frame);
            return input.buffer;
        }
    }

    /** The reference loader's arithmetic: uint8 / 255.0 in double, to float32, minus mean, over std in float32. */
    private static float[] reference(Mat bgr) {
        byte[] bytes = BicubicResamplerTest.bytes(bgr);
        int plane = SIDE * SIDE;
        float[] planes = new float[3 * plane];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                planes[c * plane + i] = ((float) ((bytes[i * 3 + 2 - c] & 0xFF) / 255.0) - MEAN[c]) / STD[c];
            }
        }
        return planes;
    }

    private static float maxDifference(FloatBuffer buffer, float[] expected) {
        assertThat(buffer.capacity()).isEqualTo(expected.length);
        float max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(buffer.get(i) - expected[i]));
        }
        return max;
    }
}
