package io.visionfleet.frameprocessor.sam2;

import io.visionfleet.frameprocessor.support.Natives;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import java.nio.FloatBuffer;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * The image encoder's input: the BGR frame squashed (no letterbox) to the network's square side, RGB planes scaled to
 * [0, 1] and normalised with the ImageNet mean and deviation, written straight into one reused direct buffer
 * ({@code [1, 3, size, size]}) that the input tensor wraps. With {@link Sam2Config.Resize#PIL_BICUBIC} the values are
 * exactly those of the reference predictor's loader: Pillow's resize, then {@code v / 255} in double rounded to
 * float, minus the mean and over the deviation in float.
 */
final class ImageInput implements AutoCloseable {
    private static final double[] MEAN = {0.485, 0.456, 0.406};
    private static final double[] STD = {0.229, 0.224, 0.225};

    final FloatBuffer buffer;
    private final int size;
    private final Sam2Config.Resize filter;
    /** Per RGB channel, the normalised value of each byte value. */
    private final float[][] normalised = new float[3][256];
    /** The resized frame, BGR rows packed. */
    private final byte[] resized;
    private final float[] row;
    private final Size linearSize;
    private final Mat linearResized;
    private BicubicResampler bicubic;
    private byte[] source = new byte[0];

    ImageInput(int size, Sam2Config.Resize filter) {
        this.size = size;
        this.filter = filter;
        this.buffer = Floats.allocate(3 * size * size);
        this.resized = new byte[3 * size * size];
        this.row = new float[size];
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                normalised[c][v] = ((float) (v / 255.0) - (float) MEAN[c]) / (float) STD[c];
            }
        }
        boolean linear = filter == Sam2Config.Resize.LINEAR;
        this.linearSize = linear ? Natives.keep(new Size(size, size)) : null;
        this.linearResized = linear ? Natives.keep(new Mat(size, size, CV_8UC3)) : null;
    }

    /** Fills the buffer from {@code bgr} (8-bit, 3 channels); no allocation once the first frame is done. */
    void fill(Mat bgr) {
        if (filter == Sam2Config.Resize.LINEAR) {
            resize(bgr, linearResized, linearSize, 0, 0, INTER_LINEAR);
            try (BytePointer data = linearResized.data()) {
                data.get(resized);
            }
        } else {
            resampleBicubic(bgr);
        }
        normalise();
    }

    private void resampleBicubic(Mat bgr) {
        int width = bgr.cols();
        int height = bgr.rows();
        if (bicubic == null || bicubic.sourceWidth != width || bicubic.sourceHeight != height) {
            bicubic = new BicubicResampler(width, height, size, size);
        }
        int stride = (int) bgr.step();
        // a region of a larger Mat ends with its last row's pixels, not with a full stride
        int bytes = (height - 1) * stride + width * 3;
        if (source.length < bytes) {
            source = new byte[bytes];
        }
        try (BytePointer data = bgr.data()) {
            data.get(source, 0, bytes);
        }
        bicubic.resample(source, stride, resized);
    }

    /** BGR bytes to the RGB planes, one row of one plane at a time. */
    private void normalise() {
        int plane = size * size;
        for (int c = 0; c < 3; c++) {
            float[] lut = normalised[c];
            for (int y = 0; y < size; y++) {
                for (int x = 0, p = y * size * 3 + 2 - c; x < size; x++, p += 3) {
                    row[x] = lut[resized[p] & 0xFF];
                }
                buffer.put(c * plane + y * size, row);
            }
        }
    }

    @Override
    public void close() {
        Natives.release(linearResized, linearSize);
    }
}
