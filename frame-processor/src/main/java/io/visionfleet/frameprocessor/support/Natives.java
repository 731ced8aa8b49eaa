package io.visionfleet.frameprocessor.support;

import org.bytedeco.javacpp.Pointer;

/**
 * Native objects that outlive a frame. Frames are processed inside a {@code PointerScope} that frees everything
 * allocated during the frame; state kept across frames (background model, previous picture) is retained here and
 * released by its owner's {@code close()}.
 */
public final class Natives {
    private Natives() {
    }

    /** Keeps {@code pointer} alive past the enclosing scope; release it with {@code close()}. */
    public static <P extends Pointer> P keep(P pointer) {
        pointer.retainReference();
        return pointer;
    }

    /** Releases every pointer given, skipping nulls. */
    public static void release(Pointer... pointers) {
        for (Pointer p : pointers) {
            if (p != null && !p.isNull()) {
                p.close();
            }
        }
    }
}
