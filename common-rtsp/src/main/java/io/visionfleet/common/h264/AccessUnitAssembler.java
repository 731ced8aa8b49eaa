package io.visionfleet.common.h264;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Groups NAL units into access units (H.264 7.4.1.2.3): a new picture starts at an access unit delimiter, SEI,
 * SPS or PPS after a slice, or at a slice whose {@code first_mb_in_slice} is 0. An access unit is therefore
 * complete only when the next one begins (or on {@link #flush()}).
 *
 * <p>Each access unit is stamped with the time its first NAL unit was fed; which capture time that makes it is the
 * caller's decision. Hostile input is bounded: an access unit over {@code maxBytes} or {@value #MAX_NALS} NAL units
 * (a flood of tiny units, or slices that never start a new picture) is dropped and counted, and so is the rest of
 * it, up to the next unit that starts a picture.
 */
public final class AccessUnitAssembler {
    /** Far more than any real picture holds (slices, SEI, parameter sets). */
    public static final int MAX_NALS = 1024;

    private final int maxBytes;
    private final Consumer<AccessUnit> sink;
    private final List<byte[]> current = new ArrayList<>();
    private int currentBytes;
    private boolean currentHasSlice;
    private boolean discarding;
    private long currentStartedMs;
    private long droppedAccessUnits;

    /** An assembler for trusted input: the NAL unit count is still bounded, the size is not. */
    public AccessUnitAssembler(Consumer<AccessUnit> sink) {
        this(Integer.MAX_VALUE, sink);
    }

    public AccessUnitAssembler(int maxBytes, Consumer<AccessUnit> sink) {
        this.maxBytes = maxBytes;
        this.sink = sink;
    }

    public void accept(byte[] nal, long arrivalMs) {
        int type = AccessUnit.nalType(nal);
        if (type == 12) {
            return; // filler data carries nothing
        }
        if (discarding) {
            if (!startsNewAccessUnit(nal, type)) {
                return; // the rest of a dropped picture
            }
            discarding = false;
        }
        if (currentHasSlice && startsNewAccessUnit(nal, type)) {
            emit();
        }
        if (current.size() == MAX_NALS || (long) currentBytes + nal.length > maxBytes) {
            droppedAccessUnits++;
            reset();
            discarding = true;
            return;
        }
        if (current.isEmpty()) {
            currentStartedMs = arrivalMs;
        }
        current.add(nal);
        currentBytes += nal.length;
        currentHasSlice |= isSlice(type);
    }

    /** Emits the access unit in progress, if it holds a picture. */
    public void flush() {
        if (currentHasSlice) {
            emit();
        }
        reset();
        discarding = false;
    }

    /** Access units dropped for exceeding the size or NAL unit limit. */
    public long droppedAccessUnits() {
        return droppedAccessUnits;
    }

    private void emit() {
        sink.accept(new AccessUnit(current, currentStartedMs));
        reset();
    }

    private void reset() {
        current.clear();
        currentBytes = 0;
        currentHasSlice = false;
    }

    private static boolean startsNewAccessUnit(byte[] nal, int type) {
        if (isSlice(type)) {
            // first_mb_in_slice is ue(v) at the start of the slice header: value 0 is the single bit '1'
            return nal.length > 1 && (nal[1] & 0x80) != 0;
        }
        return type == AccessUnit.NAL_AUD || type == AccessUnit.NAL_SEI || type == AccessUnit.NAL_SPS
                || type == AccessUnit.NAL_PPS || (type >= 14 && type <= 18);
    }

    private static boolean isSlice(int type) {
        return type >= 1 && type <= 5;
    }
}
