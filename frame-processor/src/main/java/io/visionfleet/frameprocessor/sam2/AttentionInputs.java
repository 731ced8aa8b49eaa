package io.visionfleet.frameprocessor.sam2;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.List;

/**
 * The inputs of one memory-attention run, packed object after object as the graph takes them: spatial memories
 * ({@code mem}), their temporal slots ({@code mem_slot}), object pointers ({@code ptrs}) and the pointers' frame
 * distances ({@code ptr_tpos}). The buffers only grow, so a steady stream packs without allocating.
 */
final class AttentionInputs {
    private final int memoryFloats;
    private final int channels;
    private final Floats memories = new Floats();
    private final Floats pointers = new Floats();
    private final Floats distances = new Floats();
    private LongBuffer slots;
    private FloatBuffer mem;
    private FloatBuffer ptr;
    private FloatBuffer distance;

    /** @param slotCapacity slots to allocate up front (memories of one object: 6 previous plus the conditioning frames) */
    AttentionInputs(int memoryFloats, int channels, int slotCapacity) {
        this.memoryFloats = memoryFloats;
        this.channels = channels;
        this.slots = longs(slotCapacity);
    }

    /** Packs {@code batch}, whose selections all hold the same numbers of memories and pointers. */
    void pack(List<MemorySelection<FloatBuffer, float[]>> batch) {
        int b = batch.size();
        int m = batch.get(0).memories().size();
        int p = batch.get(0).pointers().size();
        mem = memories.view(b * m * memoryFloats);
        if (slots.capacity() < b * m) {
            slots = longs(b * m);
        }
        slots.clear();
        ptr = pointers.view(b * p * channels);
        distance = distances.view(b * p);
        for (MemorySelection<FloatBuffer, float[]> selection : batch) {
            for (MemorySelection.Memory<FloatBuffer> memory : selection.memories()) {
                mem.put(memory.payload().duplicate().clear());
                slots.put(memory.slot());
            }
            for (MemorySelection.Pointer<float[]> pointer : selection.pointers()) {
                ptr.put(pointer.payload());
                distance.put(pointer.distance());
            }
        }
        slots.flip();
    }

    /** The packed memories, [B, M, memory floats]. */
    FloatBuffer memories() {
        return mem.clear();
    }

    /** The packed slots, [B, M]. */
    LongBuffer slots() {
        return slots;
    }

    /** The packed pointers, [B, P, channels]. */
    FloatBuffer pointers() {
        return ptr.clear();
    }

    /** The packed signed frame distances, [B, P]. */
    FloatBuffer distances() {
        return distance.clear();
    }

    private static LongBuffer longs(int count) {
        return ByteBuffer.allocateDirect(Long.BYTES * count).order(ByteOrder.nativeOrder()).asLongBuffer();
    }
}
