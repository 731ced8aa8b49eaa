package io.visionfleet.common.messages;

/**
 * COCO's compressed RLE counts, the string pycocotools' {@code encode} returns: each count (from the fourth on, its
 * difference to the count two before it) in 5-bit groups from the least significant, one character 48 + group
 * each, where 0x20 says another group follows and 0x10 of the last group is the sign.
 */
public final class RleString {
    private static final int MORE = 0x20;
    private static final int SIGN = 0x10;
    private static final int BITS = 0x1f;
    private static final int OFFSET = 48;
    /** Seven groups hold 35 bits: any difference of two int counts. */
    private static final int MAX_GROUPS = 7;

    private RleString() {
    }

    public static String compress(int[] counts) {
        StringBuilder s = new StringBuilder(counts.length * 2);
        for (int i = 0; i < counts.length; i++) {
            long x = i > 2 ? (long) counts[i] - counts[i - 2] : counts[i];
            boolean more = true;
            while (more) {
                int group = (int) (x & BITS);
                x >>= 5;
                more = (group & SIGN) != 0 ? x != -1 : x != 0;
                s.append((char) (OFFSET + (more ? group | MORE : group)));
            }
        }
        return s.toString();
    }

    /** @throws IllegalArgumentException on a character outside the alphabet, a cut-off count or one beyond int */
    public static int[] expand(String s) {
        int[] counts = new int[countOf(s)];
        int p = 0;
        for (int i = 0; i < counts.length; i++) {
            long x = 0;
            int group;
            int k = 0;
            do {
                group = s.charAt(p++) - OFFSET;
                x |= (long) (group & BITS) << (5 * k++);
            } while ((group & MORE) != 0 && k < MAX_GROUPS);
            if ((group & MORE) != 0) {
                throw new IllegalArgumentException("RLE count " + i + " has more than " + MAX_GROUPS + " groups");
            }
            if ((group & SIGN) != 0) {
                x |= -1L << (5 * k);
            }
            long count = i > 2 ? x + counts[i - 2] : x;
            if (count != (int) count) {
                throw new IllegalArgumentException("RLE count " + i + " is out of range: " + count);
            }
            counts[i] = (int) count;
        }
        return counts;
    }

    /** The number of counts: each ends with a group without the continuation bit. */
    private static int countOf(String s) {
        int n = 0;
        for (int p = 0; p < s.length(); p++) {
            int group = s.charAt(p) - OFFSET;
            if (group < 0 || group > (MORE | BITS)) {
                throw new IllegalArgumentException("not an RLE character at " + p + ": '" + s.charAt(p) + "'");
            }
            n += (group & MORE) == 0 ? 1 : 0;
        }
        if (!s.isEmpty() && ((s.charAt(s.length() - 1) - OFFSET) & MORE) != 0) {
            throw new IllegalArgumentException("RLE string ends inside a count");
        }
        return n;
    }
}
