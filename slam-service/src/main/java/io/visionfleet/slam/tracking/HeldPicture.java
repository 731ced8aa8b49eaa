package io.visionfleet.slam.tracking;

import org.bytedeco.opencv.opencv_core.Mat;

/** A copy of one picture that outlives the frame's {@code PointerScope}, until the next one replaces it. */
final class HeldPicture implements AutoCloseable {
    private Mat picture;

    /** Keeps a copy of {@code gray} in place of the one held; null keeps none. */
    void hold(Mat gray) {
        if (picture != null) {
            picture.releaseReference();
        }
        picture = null;
        if (gray != null) {
            picture = gray.clone();
            picture.retainReference();
        }
    }

    /** The picture held, or null. */
    Mat get() {
        return picture;
    }

    @Override
    public void close() {
        hold(null);
    }
}
