package io.visionfleet.frameprocessor.sam2;

import io.visionfleet.frameprocessor.engine.EngineObject;
import io.visionfleet.frameprocessor.engine.ObjectStatus;

import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The objects one stream tracks, by id in creation order: their registration, removal and lost-frame aging, what they
 * report per frame, and the pool of memory buffers their banks give back (so a steady stream allocates none).
 */
final class Sam2Objects {
    private final int maskSize;
    private final int width;
    private final int height;
    private final Map<Long, Sam2Object> objects = new LinkedHashMap<>();
    private final ArrayDeque<FloatBuffer> memoryPool = new ArrayDeque<>();
    private long nextId = 1;

    /** @param maskSize side of the objects' low-resolution logits; {@code width} x {@code height} the frame's size */
    Sam2Objects(int maskSize, int width, int height) {
        this.maskSize = maskSize;
        this.width = width;
        this.height = height;
    }

    Sam2Object get(long id) {
        return objects.get(id);
    }

    /** Live view, in creation order. */
    Collection<Sam2Object> all() {
        return objects.values();
    }

    int size() {
        return objects.size();
    }

    /** Gives the object the next id and tracks it. */
    void register(Sam2Object o) {
        o.id = nextId++;
        objects.put(o.id, o);
    }

    /** Stops tracking the object; its memories go back to the pool. */
    void remove(Sam2Object o) {
        objects.remove(o.id);
        memoryPool.addAll(o.bank.clear());
    }

    /** A buffer of {@code floats} floats for a new memory: one a bank gave back, else a new one. */
    FloatBuffer memoryBuffer(int floats) {
        return memoryPool.isEmpty() ? Floats.allocate(floats) : memoryPool.poll();
    }

    /** Stores the object's memory of {@code frame} in its bank; what the bank evicts goes back to the pool. */
    void remember(Sam2Object o, long frame, boolean conditioning, FloatBuffer memory) {
        memoryPool.addAll(o.bank.add(frame, conditioning, memory, o.pointer));
    }

    /** Whether the object's latest logits are positive under the frame point ({@code x}, {@code y}). */
    boolean covers(Sam2Object o, double x, double y) {
        int col = (int) Math.min(maskSize - 1, Math.max(0, x * maskSize / width));
        int row = (int) Math.min(maskSize - 1, Math.max(0, y * maskSize / height));
        return o.logits[row * maskSize + col] > 0;
    }

    /**
     * The frame's report after its masks were rendered: an object without a mask counts one more lost frame and is
     * removed (its id added to {@code removed}) once lost more than {@code maxLostFrames}; the others are reported,
     * CONFIRMED with a mask or LOST, scored by their IoU clamped to [0, 1].
     */
    List<EngineObject> report(int maxLostFrames, List<Long> removed) {
        List<EngineObject> result = new ArrayList<>();
        for (var it = objects.values().iterator(); it.hasNext(); ) {
            Sam2Object o = it.next();
            o.lostFrames = o.mask == null ? o.lostFrames + 1 : 0;
            if (o.lostFrames > maxLostFrames) {
                it.remove();
                memoryPool.addAll(o.bank.clear());
                removed.add(o.id);
                continue;
            }
            result.add(new EngineObject(o.id, o.mask != null ? ObjectStatus.CONFIRMED : ObjectStatus.LOST, o.box, o.mask,
                    Math.max(0, Math.min(1, o.iou)), o.label, o.prompted));
        }
        return result;
    }

    void clear() {
        objects.clear();
        memoryPool.clear();
    }
}
