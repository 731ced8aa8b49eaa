package io.visionfleet.frameprocessor.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.mask.CocoRle;
import io.visionfleet.common.messages.TrackedObject;
import io.visionfleet.sim.scene.FrameTruth;

/** A published mask (row-major, non-zero inside, as {@code CocoRle.decode} gives it) judged against a frame's ground-truth actor ids. */
public final class TruthMasks {
    private TruthMasks() {
    }

    /** The mask of an object of a processed frame read off the bus. */
    public static byte[] maskOf(JsonNode object) throws JsonProcessingException {
        return CocoRle.decode(Json.MAPPER.treeToValue(object.path("mask"), TrackedObject.MaskRle.class));
    }

    /** The actor covering most of {@code mask}'s pixels; 0 (background) when none does. */
    public static int dominantActor(FrameTruth truth, byte[] mask) {
        int[] votes = new int[128];
        for (int p = 0; p < mask.length; p++) {
            if (mask[p] != 0) {
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
    public static double iou(FrameTruth truth, int actor, byte[] mask) {
        int inter = 0;
        int union = 0;
        for (int p = 0; p < mask.length; p++) {
            boolean gt = truth.ids()[p] == actor;
            boolean inside = mask[p] != 0;
            inter += gt && inside ? 1 : 0;
            union += gt || inside ? 1 : 0;
        }
        return union == 0 ? 0 : (double) inter / union;
    }
}
