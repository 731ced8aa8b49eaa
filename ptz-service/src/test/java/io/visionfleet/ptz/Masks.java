package io.visionfleet.ptz;

import io.visionfleet.common.mask.CocoRle;
import io.visionfleet.common.mask.MaskPatch;
import io.visionfleet.common.messages.TrackedObject;
import io.visionfleet.sim.scene.FrameTruth;

/** Ground-truth masks in the wire format of processed frames. */
public final class Masks {
    private Masks() {
    }

    public static TrackedObject.MaskRle rle(FrameTruth truth, int id) {
        byte[] pixels = new byte[truth.ids().length];
        for (int p = 0; p < pixels.length; p++) {
            pixels[p] = (byte) (truth.ids()[p] == id ? 1 : 0);
        }
        return CocoRle.encode(new MaskPatch(0, 0, truth.width(), truth.height(), pixels), truth.width(), truth.height());
    }
}
