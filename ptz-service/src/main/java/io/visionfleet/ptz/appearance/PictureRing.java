package io.visionfleet.ptz.appearance;

import io.visionfleet.ptz.config.PtzConfig;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacv.Frame;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import java.nio.ByteBuffer;
import java.time.Duration;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * A camera's last few pictures, downscaled, keyed by capture time. Tracking results arrive 100-300 ms after their
 * frame; this ring is where their masks find the pixels they were computed on. One ring serves both feeders: the RTSP
 * consumer decoding the camera's stream from the relay, and a simulated camera's own rendering. Pictures are small
 * Java copies (a 160-pixel-wide BGR picture is 43 kB), so nothing native outlives a {@code put}.
 */
public final class PictureRing {
    /** One downscaled BGR picture (tightly packed rows). */
    public record Picture(long captureTs, int width, int height, byte[] bgr) {
        /** The picture as an OpenCV matrix, a copy owned by the caller's {@link PointerScope}. */
        public Mat mat() {
            Mat m = new Mat(height, width, CV_8UC3);
            m.data().put(bgr);
            return m;
        }
    }

    private final Picture[] slots;
    private final long toleranceMs;
    private final int maxWidth;
    private int next;

    /**
     * @param capacity  pictures kept; the oldest is evicted by the next one
     * @param tolerance how far from a requested capture time a picture may be and still count as that frame
     * @param maxWidth  pictures wider than this are downscaled to it (aspect kept)
     */
    public PictureRing(int capacity, Duration tolerance, int maxWidth) {
        if (capacity < 1 || maxWidth < 8) {
            throw new IllegalArgumentException("a picture ring needs capacity >= 1 and width >= 8");
        }
        this.slots = new Picture[capacity];
        this.toleranceMs = tolerance.toMillis();
        this.maxWidth = maxWidth;
    }

    /** The ring a camera's appearance settings ask for. */
    public static PictureRing of(PtzConfig.Appearance settings) {
        return new PictureRing(settings.ringFrames(), settings.tolerance(), settings.width());
    }

    /** Adds a picture (8-bit BGR, any row stride), downscaled; the caller keeps ownership of {@code bgr}. */
    public void put(long captureTs, Mat bgr) {
        byte[] small;
        int w;
        int h;
        try (PointerScope scope = new PointerScope()) {
            Mat src = bgr;
            if (bgr.cols() > maxWidth) {
                src = new Mat();
                resize(bgr, src, new Size(maxWidth, Math.max(1, Math.round((float) bgr.rows() * maxWidth / bgr.cols()))),
                        0, 0, INTER_AREA);
            } else if (!bgr.isContinuous()) {
                src = bgr.clone();
            }
            w = src.cols();
            h = src.rows();
            small = new byte[w * h * 3];
            src.data().get(small);
        }
        store(new Picture(captureTs, w, h, small));
    }

    /** Adds a tightly packed BGR picture held in a Java array (the simulator's rendering). */
    public void put(long captureTs, byte[] bgr, int width, int height) {
        try (PointerScope scope = new PointerScope()) {
            put(captureTs, new Mat(height, width, CV_8UC3, new BytePointer(bgr)));
        }
    }

    /** Adds a decoded picture (8-bit BGR, as the RTSP consumer hands them over), read in place. */
    public void put(long captureTs, Frame bgr) {
        if (bgr.imageChannels != 3 || bgr.imageDepth != Frame.DEPTH_UBYTE) {
            throw new IllegalArgumentException("pictures must be 8-bit BGR, got " + bgr.imageChannels + " channels of depth "
                    + bgr.imageDepth);
        }
        try (PointerScope scope = new PointerScope()) {
            put(captureTs, new Mat(bgr.imageHeight, bgr.imageWidth, CV_8UC3, new BytePointer((ByteBuffer) bgr.image[0]),
                    bgr.imageStride));
        }
    }

    /** The picture captured nearest {@code captureTs}, if one lies within the tolerance; null otherwise. */
    public synchronized Picture nearest(long captureTs) {
        Picture best = null;
        long bestGap = toleranceMs;
        for (Picture p : slots) {
            if (p != null && Math.abs(p.captureTs() - captureTs) <= bestGap) {
                best = p;
                bestGap = Math.abs(p.captureTs() - captureTs);
            }
        }
        return best;
    }

    private synchronized void store(Picture p) {
        slots[next] = p;
        next = (next + 1) % slots.length;
    }
}
