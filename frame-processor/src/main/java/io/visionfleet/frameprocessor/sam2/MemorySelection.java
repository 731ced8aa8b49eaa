package io.visionfleet.frameprocessor.sam2;

import java.util.List;

/**
 * What one object's memory attention reads on one frame, in the reference's order: spatial memories (selected
 * conditioning frames first, then previous frames from the oldest), then object pointers (conditioning frames first,
 * then previous frames from the newest).
 */
record MemorySelection<M, P>(List<Memory<M>> memories, List<Pointer<P>> pointers) {
    /**
     * A spatial memory and its temporal slot: {@value MemoryBank#CONDITIONING_SLOT} for a selected conditioning frame,
     * {@code r - 1} for the frame {@code r} frames back (the newest uses slot 0).
     */
    record Memory<M>(long frame, int slot, M payload) {
    }

    /** An object pointer and the signed frame distance its temporal encoding is made from. */
    record Pointer<P>(long frame, long distance, P payload) {
    }
}
