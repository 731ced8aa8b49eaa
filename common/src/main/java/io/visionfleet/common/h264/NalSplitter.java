package io.visionfleet.common.h264;

/**
 * Splits an H.264 or H.265 Annex-B byte stream into NAL units, fed in chunks with arbitrary boundaries (a NAL unit may
 * span chunks; a chunk may hold many). A state machine over the zero-run before each {@code 00 00 01} start
 * code; NAL units come out without start codes and with emulation-prevention bytes kept.
 *
 * <p>Hostile input is bounded: a NAL unit over {@code maxNalBytes} is discarded up to the next start code, and
 * units with the forbidden bit set (the first bit in both codecs) are dropped. Both are counted, never thrown;
 * which types are valid depends on the codec, so the {@link AccessUnitAssembler} judges those.
 */
public final class NalSplitter {
    /** Receives each complete NAL unit and the arrival time of the chunk that held its start code. */
    @FunctionalInterface
    public interface Sink {
        void nal(byte[] nal, long startedMs);
    }

    private final int maxNalBytes;
    private final Sink sink;
    private byte[] buffer = new byte[4096];
    private int length;
    private int zeros;
    private boolean inNal;
    private boolean oversized;
    private long nalStartedMs;
    private long droppedNals;
    private long skippedBytes;

    public NalSplitter(int maxNalBytes, Sink sink) {
        this.maxNalBytes = maxNalBytes;
        this.sink = sink;
    }

    public void feed(byte[] data, long arrivalMs) {
        feed(data, 0, data.length, arrivalMs);
    }

    public void feed(byte[] data, int offset, int count, long arrivalMs) {
        int end = offset + count;
        for (int i = offset; i < end; i++) {
            byte b = data[i];
            if (b == 0) {
                zeros++;
            } else if (b == 1 && zeros >= 2) {
                finishNal();
                inNal = true;
                oversized = false;
                length = 0;
                zeros = 0;
                nalStartedMs = arrivalMs;
            } else {
                if (inNal) {
                    appendZeros();
                    append(b);
                } else {
                    skippedBytes += zeros + 1;
                }
                zeros = 0;
            }
        }
    }

    /** Emits the NAL unit in progress: the end of the stream ends it. */
    public void flush() {
        finishNal();
        inNal = false;
        zeros = 0;
    }

    /** NAL units dropped as oversized or forbidden-bit. */
    public long droppedNals() {
        return droppedNals;
    }

    /** Bytes seen outside any NAL unit (before the first start code). */
    public long skippedBytes() {
        return skippedBytes;
    }

    private void appendZeros() {
        for (; zeros > 0; zeros--) {
            append((byte) 0);
        }
    }

    private void append(byte b) {
        if (oversized) {
            return;
        }
        if (length == maxNalBytes) {
            oversized = true;
            return;
        }
        if (length == buffer.length) {
            byte[] grown = new byte[Math.min(maxNalBytes, buffer.length * 2)];
            System.arraycopy(buffer, 0, grown, 0, length);
            buffer = grown;
        }
        buffer[length++] = b;
    }

    private void finishNal() {
        if (!inNal) {
            return;
        }
        // trailing zero bytes before a start code are trailing_zero_8bits or the 4-byte start code's lead
        zeros = 0;
        if (oversized || length == 0 || (buffer[0] & 0x80) != 0) {
            droppedNals++;
        } else {
            byte[] nal = new byte[length];
            System.arraycopy(buffer, 0, nal, 0, length);
            sink.nal(nal, nalStartedMs);
        }
        length = 0;
        inNal = false;
        if (buffer.length > 1 << 20) {
            buffer = new byte[4096]; // do not pin a huge buffer after one big IDR or garbage burst
        }
    }
}
