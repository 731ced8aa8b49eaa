package io.visionfleet.frameprocessor.sam2;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One object's memory of past frames, as SAM2.1's video predictor reads it when it tracks forward, with eviction so a
 * live stream of any length keeps a bounded bank.
 *
 * <p>Each stored frame has a spatial memory ({@code M}, the memory encoder's output) and an object pointer
 * ({@code P}); conditioning frames (prompted) are kept apart from the others. For frame {@code t} the reference
 * ({@code SAM2Base._prepare_memory_conditioned_features}) attends:
 * <ul>
 *   <li>the selected conditioning frames ({@link #select}: all of them, or the {@code maxConditioning} closest) with
 *       temporal slot {@value #CONDITIONING_SLOT};</li>
 *   <li>for {@code r} = 6 down to 1, the frame {@code t - r} if it is a non-conditioning frame or an unselected
 *       conditioning frame, with slot {@code r - 1};</li>
 *   <li>pointers of the selected conditioning frames at or before {@code t} (distance {@code t - f}), then of the
 *       non-conditioning or unselected conditioning frames {@code t - 1} ... {@code t - 15} (distance {@code d}).</li>
 * </ul>
 * The reference keeps every frame; here a non-conditioning frame's memory goes once it is more than 6 frames old,
 * its pointer once it is more than 15, and a conditioning frame once it is neither among the {@code maxConditioning}
 * newest nor recent enough to serve as a previous frame. Tracking only forward, no later query can select what was
 * evicted, so the selection equals the reference's.
 */
final class MemoryBank<M, P> {
    /** {@code num_maskmem}: one conditioning slot plus 6 previous frames. */
    static final int NUM_MASKMEM = 7;
    static final int CONDITIONING_SLOT = NUM_MASKMEM - 1;
    /** {@code max_obj_ptrs_in_encoder}: pointers reach 15 frames back; their distance is encoded over 15. */
    static final int MAX_OBJECT_POINTERS = 16;

    private final int maxConditioning;
    private final TreeMap<Long, Entry<M, P>> conditioning = new TreeMap<>();
    private final TreeMap<Long, Entry<M, P>> recent = new TreeMap<>();
    /** Once a conditioning frame was evicted the reference holds more than the cap: it orders its choice by distance. */
    private boolean capped;

    /** The memory and pointer of a stored frame; the memory is null once only the pointer is still needed. */
    private static final class Entry<M, P> {
        M memory;
        final P pointer;

        Entry(M memory, P pointer) {
            this.memory = memory;
            this.pointer = pointer;
        }
    }

    /** @param maxConditioning most conditioning frames attended at once ({@code max_cond_frames_in_attn}), at least 1 */
    MemoryBank(int maxConditioning) {
        if (maxConditioning < 1) {
            throw new IllegalArgumentException("at least one conditioning frame must be attended, got " + maxConditioning);
        }
        this.maxConditioning = maxConditioning;
    }

    boolean hasConditioning() {
        return !conditioning.isEmpty();
    }

    /** Frames stored (conditioning, and others whose memory or pointer is still kept). */
    int size() {
        return conditioning.size() + recent.size();
    }

    /** Stores frame {@code frame}'s outputs; returns the memories this made unnecessary, for their buffers to be reused. */
    List<M> add(long frame, boolean isConditioning, M memory, P pointer) {
        List<M> freed = new ArrayList<>();
        Entry<M, P> old = (isConditioning ? recent : conditioning).remove(frame);
        if (old != null && old.memory != null) {
            freed.add(old.memory);
        }
        Entry<M, P> replaced = (isConditioning ? conditioning : recent).put(frame, new Entry<>(memory, pointer));
        if (replaced != null && replaced.memory != null) {
            freed.add(replaced.memory);
        }
        evict(frame + 1, freed);
        return freed;
    }

    /** Every memory still held, for release when the object ends. */
    List<M> clear() {
        List<M> all = new ArrayList<>();
        capped = false;
        for (Entry<M, P> e : conditioning.values()) {
            all.add(e.memory);
        }
        for (Entry<M, P> e : recent.values()) {
            if (e.memory != null) {
                all.add(e.memory);
            }
        }
        conditioning.clear();
        recent.clear();
        return all;
    }

    /** What frame {@code t} (a tracked or corrected frame, not the object's first) attends. */
    MemorySelection<M, P> select(long t) {
        if (conditioning.isEmpty()) {
            throw new IllegalStateException("an object is tracked only after a conditioning frame");
        }
        List<Long> selected = selectClosest(t);
        List<MemorySelection.Memory<M>> memories = new ArrayList<>();
        for (long f : selected) {
            memories.add(new MemorySelection.Memory<>(f, CONDITIONING_SLOT, conditioning.get(f).memory));
        }
        for (int r = NUM_MASKMEM - 1; r >= 1; r--) {
            Entry<M, P> e = previous(t - r, selected);
            if (e != null && e.memory != null) {
                memories.add(new MemorySelection.Memory<>(t - r, r - 1, e.memory));
            }
        }
        List<MemorySelection.Pointer<P>> pointers = new ArrayList<>();
        for (long f : selected) {
            if (f <= t) {
                pointers.add(new MemorySelection.Pointer<>(f, t - f, conditioning.get(f).pointer));
            }
        }
        for (int d = 1; d < MAX_OBJECT_POINTERS; d++) {
            long f = t - d;
            if (f < 0) {
                break;
            }
            Entry<M, P> e = previous(f, selected);
            if (e != null) {
                pointers.add(new MemorySelection.Pointer<>(f, d, e.pointer));
            }
        }
        return new MemorySelection<>(memories, pointers);
    }

    /** A non-conditioning frame, or a conditioning frame the selection left out (the reference looks in both). */
    private Entry<M, P> previous(long frame, List<Long> selected) {
        Entry<M, P> e = recent.get(frame);
        if (e == null && !selected.contains(frame)) {
            e = conditioning.get(frame);
        }
        return e;
    }

    /**
     * {@code select_closest_cond_frames}: all (in frame order) when few enough, else the closest before {@code t}, the
     * closest at or after it, and the rest by distance to {@code t}, in that order.
     */
    private List<Long> selectClosest(long t) {
        List<Long> frames = new ArrayList<>(conditioning.keySet());
        if (frames.size() <= maxConditioning && !capped) {
            return frames;
        }
        List<Long> chosen = new ArrayList<>();
        Long before = conditioning.lowerKey(t);
        if (before != null) {
            chosen.add(before);
        }
        Long after = conditioning.ceilingKey(t);
        if (after != null && chosen.size() < maxConditioning) {
            chosen.add(after);
        }
        frames.stream().filter(f -> !chosen.contains(f))
                .sorted(Comparator.comparingLong(f -> Math.abs(t - f)))
                .limit(Math.max(0, maxConditioning - chosen.size()))
                .forEach(chosen::add);
        return chosen;
    }

    /** Drops what no frame from {@code next} on can attend. */
    private void evict(long next, List<M> freed) {
        long oldestMemory = next - (NUM_MASKMEM - 1);
        long oldestPointer = next - (MAX_OBJECT_POINTERS - 1);
        for (var it = recent.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Entry<M, P>> e = it.next();
            if (e.getKey() < oldestMemory && e.getValue().memory != null) {
                freed.add(e.getValue().memory);
                e.getValue().memory = null;
            }
            if (e.getKey() < oldestPointer) {
                it.remove();
            }
        }
        // the newest maxConditioning stay selectable; older ones serve only as previous frames while recent enough
        List<Long> old = new ArrayList<>(conditioning.headMap(conditioning.isEmpty() ? next
                : newest(conditioning, maxConditioning), false).keySet());
        for (long f : old) {
            if (f < oldestPointer) {
                freed.add(conditioning.remove(f).memory);
                capped = true;
            }
        }
    }

    /** The oldest of the {@code n} newest keys. */
    private static long newest(TreeMap<Long, ?> map, int n) {
        Long key = map.lastKey();
        for (int i = 1; i < n && map.lowerKey(key) != null; i++) {
            key = map.lowerKey(key);
        }
        return key;
    }
}
