package io.visionfleet.ingest.fmp4;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes ISO base media file format boxes (ISO/IEC 14496-12 4.2) big-endian into a growing array: {@link #open}
 * starts a box and {@link #close} fills in its 32-bit size once its content is written, so nested boxes need no
 * size computed ahead.
 */
final class BoxWriter {
    private static final int MAX_DEPTH = 16;

    private byte[] bytes;
    private int length;
    private final int[] open = new int[MAX_DEPTH];
    private int depth;

    BoxWriter(int capacity) {
        bytes = new byte[capacity];
    }

    /** Starts a box of {@code type}; every open needs its {@link #close}. */
    BoxWriter open(String type) {
        open[depth++] = length;
        return u32(0).fourCc(type);
    }

    /** Starts a full box: a box with a version byte and 24 bits of flags. */
    BoxWriter open(String type, int version, int flags) {
        return open(type).u8(version).u24(flags);
    }

    BoxWriter close() {
        int start = open[--depth];
        putU32(start, length - start);
        return this;
    }

    BoxWriter u8(int value) {
        ensure(1);
        bytes[length++] = (byte) value;
        return this;
    }

    BoxWriter u16(int value) {
        return u8(value >>> 8).u8(value);
    }

    BoxWriter u24(int value) {
        return u8(value >>> 16).u16(value);
    }

    BoxWriter u32(long value) {
        ensure(4);
        putU32(length, value);
        length += 4;
        return this;
    }

    BoxWriter u64(long value) {
        return u32(value >>> 32).u32(value);
    }

    BoxWriter zeros(int count) {
        ensure(count);
        length += count; // the array is zeroed when allocated and never written beyond length
        return this;
    }

    BoxWriter fourCc(String type) {
        return bytes(type.getBytes(StandardCharsets.US_ASCII));
    }

    BoxWriter bytes(byte[] data) {
        ensure(data.length);
        System.arraycopy(data, 0, bytes, length, data.length);
        length += data.length;
        return this;
    }

    /** Overwrites 4 bytes already written at {@code offset}. */
    void putU32(int offset, long value) {
        bytes[offset] = (byte) (value >>> 24);
        bytes[offset + 1] = (byte) (value >>> 16);
        bytes[offset + 2] = (byte) (value >>> 8);
        bytes[offset + 3] = (byte) value;
    }

    int length() {
        return length;
    }

    byte[] toByteArray() {
        if (depth != 0) {
            throw new IllegalStateException(depth + " boxes left open");
        }
        return Arrays.copyOf(bytes, length);
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
