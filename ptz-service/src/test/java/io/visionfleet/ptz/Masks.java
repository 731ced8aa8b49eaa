package io.visionfleet.ptz;

import io.visionfleet.common.messages.TrackedObject;
import io.visionfleet.sim.scene.FrameTruth;

import java.util.ArrayList;
import java.util.List;

/** Ground-truth masks in the wire format of processed frames (RLE over the row-major mask, background run first). */
public final class Masks {
    private Masks() {
    }

    public static TrackedObject.MaskRle rle(FrameTruth truth, int id) {
        List<Integer> counts = new ArrayList<>();
        boolean inside = false;
        int run = 0;
        for (int p = 0; p < truth.ids().length; p++) {
            if ((truth.ids()[p] == id) != inside) {
                counts.add(run);
                inside = !inside;
                run = 0;
            }
            run++;
        }
        counts.add(run);
        return new TrackedObject.MaskRle(truth.height(), truth.width(), counts);
    }
}
