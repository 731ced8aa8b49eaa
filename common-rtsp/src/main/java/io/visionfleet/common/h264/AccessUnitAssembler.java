package io.visionfleet.common.h264;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Groups NAL units into access units (H.264 7.4.1.2.3): a new picture starts at an access unit delimiter, SEI,
 * SPS or PPS after a slice, or at a slice whose {@code first_mb_in_slice} is 0. An access unit is therefore
 * complete only when the next one begins (or on {@link #flush()}).
 *
 * <p>Its capture time is the arrival of its first NAL unit, forced strictly increasing so that every picture
 * of a stream gets its own RTP timestamp.
 */
public final class AccessUnitAssembler {
    private final Consumer<AccessUnit> sink;
    private final List<byte[]> current = new ArrayList<>();
    private boolean currentHasSlice;
    private long currentStartedMs;
    private long lastCaptureTs = Long.MIN_VALUE;

    public AccessUnitAssembler(Consumer<AccessUnit> sink) {
        this.sink = sink;
    }

    public void accept(byte[] nal, long arrivalMs) {
        int type = AccessUnit.nalType(nal);
        if (type == 12) {
            return; // filler data carries nothing
        }
        if (currentHasSlice && startsNewAccessUnit(nal, type)) {
            emit();
        }
        if (current.isEmpty()) {
            currentStartedMs = arrivalMs;
        }
        current.add(nal);
        currentHasSlice |= isSlice(type);
    }

    /** Emits the access unit in progress, if it holds a picture. */
    public void flush() {
        if (currentHasSlice) {
            emit();
        }
        current.clear();
    }

    private void emit() {
        long captureTs = lastCaptureTs == Long.MIN_VALUE ? currentStartedMs : Math.max(currentStartedMs, lastCaptureTs + 1);
        lastCaptureTs = captureTs;
        sink.accept(new AccessUnit(current, captureTs));
        current.clear();
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
