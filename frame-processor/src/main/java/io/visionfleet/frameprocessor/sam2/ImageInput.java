package io.visionfleet.frameprocessor.sam2;

import io.visionfleet.frameprocessor.support.Natives;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Size;

import java.nio.FloatBuffer;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.split;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * The image encoder's input: the BGR frame squashed (no letterbox) to the network's square side, RGB planes scaled to
 * [0, 1] and normalised with the ImageNet mean and deviation, written straight into one reused direct buffer
 * ({@code [1, 3, size, size]}) that the input tensor wraps.
 */
final class ImageInput implements AutoCloseable {
    private static final double[] MEAN = {0.485, 0.456, 0.406};
    private static final double[] STD = {0.229, 0.224, 0.225};

    final FloatBuffer buffer;
    private final int size;
    private final Mat resized = Natives.keep(new Mat());
    private final MatVector bgrPlanes = Natives.keep(new MatVector(3));
    private final Mat[] rgbPlanes = new Mat[3];

    ImageInput(int size) {
        this.size = size;
        this.buffer = Floats.allocate(3 * size * size);
        for (int c = 0; c < 3; c++) {
            rgbPlanes[c] = Natives.keep(new Mat(size, size, CV_32FC1, new FloatPointer(Floats.slice(buffer, c * size * size, size * size))));
        }
    }

    /** Fills the buffer from {@code bgr}; one conversion per plane, no allocation once the first frame is done. */
    void fill(Mat bgr) {
        resize(bgr, resized, new Size(size, size), 0, 0, INTER_LINEAR);
        split(resized, bgrPlanes);
        for (int c = 0; c < 3; c++) {
            // (v / 255 - mean) / std as one multiply-add, from the BGR plane holding RGB channel c
            bgrPlanes.get(2 - c).convertTo(rgbPlanes[c], CV_32F, 1 / (255 * STD[c]), -MEAN[c] / STD[c]);
        }
    }

    @Override
    public void close() {
        Natives.release(resized, bgrPlanes);
        Natives.release(rgbPlanes);
    }
}
