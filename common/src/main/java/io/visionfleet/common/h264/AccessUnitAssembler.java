package io.visionfleet.common.h264;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Groups NAL units into access units ({@link VideoCodec#startsAccessUnit}): a new picture starts at a delimiter,
 * parameter set or prefix SEI after a slice, or at the first slice of a picture. An access unit is therefore
 * complete only when the next one begins (or on {@link #flush()}).
 *
 * <p>The codec is the one given, until a NAL unit proves another ({@link VideoCodec#detect}): a picture in progress
 * then ends, and the following ones are of the new codec. NAL units with a header invalid for the codec are dropped
 * and counted.
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
    private VideoCodec codec;
    private int currentBytes;
    private boolean currentHasSlice;
    private boolean discarding;
    private long currentStartedMs;
    private long droppedAccessUnits;
    private long droppedNals;

    /** An assembler for trusted input, H.264 until a NAL unit proves H.265: the NAL unit count is still bounded, the size is not. */
    public AccessUnitAssembler(Consumer<AccessUnit> sink) {
        this(VideoCodec.H264, Integer.MAX_VALUE, sink);
    }

    public AccessUnitAssembler(VideoCodec codec, int maxBytes, Consumer<AccessUnit> sink) {
        this.codec = codec;
        this.maxBytes = maxBytes;
        this.sink = sink;
    }

    /** The codec of the pictures to come. */
    public VideoCodec codec() {
        return codec;
    }

    /** Takes the publisher's word for the codec of the pictures to come; a NAL unit that proves another still wins. */
    public void declare(VideoCodec declared) {
        switchTo(declared);
    }

    public void accept(byte[] nal, long arrivalMs) {
        VideoCodec detected = VideoCodec.detect(nal);
        if (detected != null) {
            switchTo(detected);
        }
        if (!codec.isValidHeader(nal)) {
            droppedNals++;
            return;
        }
        int type = codec.nalType(nal);
        if (codec.isFiller(type)) {
            return; // filler data carries nothing
        }
        boolean startsNew = codec.startsAccessUnit(nal);
        if (discarding) {
            if (!startsNew) {
                return; // the rest of a dropped picture
            }
            discarding = false;
        }
        if (currentHasSlice && startsNew) {
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
        currentHasSlice |= codec.isSlice(type);
    }

    /** Emits the access unit in progress, if it holds a picture. */
    public void flush() {
        if (currentHasSlice) {
            emit();
        }
        reset();
        discarding = false;
    }

    /** NAL units dropped for a header that is invalid for the codec (reserved type, too short). */
    public long droppedNals() {
        return droppedNals;
    }

    /** Access units dropped for exceeding the size or NAL unit limit. */
    public long droppedAccessUnits() {
        return droppedAccessUnits;
    }

    private void emit() {
        sink.accept(new AccessUnit(codec, current, currentStartedMs));
        reset();
    }

    private void reset() {
        current.clear();
        currentBytes = 0;
        currentHasSlice = false;
    }

    /** A picture in progress is of the old codec: it ends here, complete or not. */
    private void switchTo(VideoCodec next) {
        if (next == codec) {
            return;
        }
        flush();
        codec = next;
    }
}
