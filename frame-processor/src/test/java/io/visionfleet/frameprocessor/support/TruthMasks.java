package io.visionfleet.frameprocessor.support;

import io.visionfleet.sim.scene.FrameTruth;

/** A published mask (row-major booleans) judged against a frame's ground-truth actor ids. */
public final class TruthMasks {
    private TruthMasks() {
    }

    /** The actor covering most of {@code mask}'s pixels; 0 (background) when none does. */
    public static int dominantActor(FrameTruth truth, boolean[] mask) {
        int[] votes = new int[128];
        for (int p = 0; p < mask.length; p++) {
            if (mask[p]) {
                votes[truth.ids()[p]]++;
            }
        }
        int best = 0;
        for (int id = 1; id < votes.length; id++) {
            if (votes[id] > votes[best]) {
                best = id;
            }
        }
        return best;
    }

    /** Intersection over union of {@code mask} and {@code actor}'s true pixels; 0 when both are empty. */
    public static double iou(FrameTruth truth, int actor, boolean[] mask) {
        int inter = 0;
        int union = 0;
        for (int p = 0; p < mask.length; p++) {
            boolean gt = truth.ids()[p] == actor;
            inter += gt && mask[p] ? 1 : 0;
            union += gt || mask[p] ? 1 : 0;
        }
        return union == 0 ? 0 : (double) inter / union;
    }
}
