package io.visionfleet.ingest.fmp4;

/**
 * Reads the bits of a NAL unit's payload as ITU-T H.264 7.2 and H.265 7.2 define them: emulation-prevention bytes
 * ({@code 00 00 03}) are skipped, {@code u(n)}, {@code ue(v)} and {@code se(v)} are read most significant bit first.
 * Reading past the end throws {@link IllegalArgumentException}: a truncated parameter set is malformed input.
 */
final class RbspReader {
    /** A ue(v) with more leading zeros would not fit an int; no syntax element of a parameter set comes close. */
    private static final int MAX_LEADING_ZEROS = 31;

    private final byte[] rbsp;
    private final int length;
    private int bit;

    /** Reads {@code nal} from byte {@code from} (past its header). */
    RbspReader(byte[] nal, int from) {
        rbsp = new byte[Math.max(0, nal.length - from)];
        int n = 0;
        int zeros = 0;
        for (int i = from; i < nal.length; i++) {
            if (zeros >= 2 && nal[i] == 3) {
                zeros = 0;
                continue;
            }
            zeros = nal[i] == 0 ? zeros + 1 : 0;
            rbsp[n++] = nal[i];
        }
        length = n;
    }

    int u(int bits) {
        int value = 0;
        for (int i = 0; i < bits; i++) {
            value = value << 1 | bit();
        }
        return value;
    }

    boolean flag() {
        return bit() == 1;
    }

    int ue() {
        int zeros = 0;
        while (bit() == 0) {
            if (++zeros > MAX_LEADING_ZEROS) {
                throw new IllegalArgumentException("exp-Golomb code longer than 32 bits");
            }
        }
        return (int) ((1L << zeros) - 1 + Integer.toUnsignedLong(u(zeros)));
    }

    int se() {
        int code = ue();
        return (code & 1) == 1 ? (code + 1) / 2 : -(code / 2);
    }

    void skip(int bits) {
        if (bit + (long) bits > 8L * length) {
            throw new IllegalArgumentException("parameter set ends inside a syntax element");
        }
        bit += bits;
    }

    /** The next {@code count} whole bytes; the reader must be byte-aligned. */
    byte[] bytes(int count) {
        if (bit % 8 != 0 || bit / 8 + count > length) {
            throw new IllegalArgumentException("parameter set ends before byte " + (bit / 8 + count));
        }
        byte[] out = java.util.Arrays.copyOfRange(rbsp, bit / 8, bit / 8 + count);
        bit += 8 * count;
        return out;
    }

    private int bit() {
        if (bit >= 8 * length) {
            throw new IllegalArgumentException("parameter set ends inside a syntax element");
        }
        int value = (rbsp[bit >> 3] >> (7 - (bit & 7))) & 1;
        bit++;
        return value;
    }
}
