package io.visionfleet.storage.api;

import java.util.Optional;

/**
 * One byte range of an HTTP {@code Range} header ({@code bytes=a-b}, {@code bytes=a-}, {@code bytes=-n}), resolved
 * against the size of the file. Anything else (other units, several ranges, bad syntax, over-long headers) is
 * ignored, as RFC 9110 allows: the whole file is sent with 200.
 *
 * @param first first byte, inclusive
 * @param last  last byte, inclusive
 */
public record ByteRange(long first, long last) {
    private static final int MAX_HEADER = 100;
    private static final String PREFIX = "bytes=";

    /** The range asks only for bytes past the end of the file: 416. */
    public static final class Unsatisfiable extends Exception {
        Unsatisfiable() {
            super(null, null, false, false);
        }
    }

    public long length() {
        return last - first + 1;
    }

    /** {@code Content-Range} value of a 206 answer. */
    public String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /**
     * The range a {@code Range} header asks for in a file of {@code size} bytes; empty when there is no header or
     * it is to be ignored.
     *
     * @throws Unsatisfiable when the range starts beyond the end of the file
     */
    public static Optional<ByteRange> parse(String header, long size) throws Unsatisfiable {
        if (header == null || header.length() > MAX_HEADER || !header.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String spec = header.substring(PREFIX.length()).trim();
        int dash = spec.indexOf('-');
        if (dash < 0 || spec.indexOf(',') >= 0) {
            return Optional.empty();
        }
        String from = spec.substring(0, dash).trim();
        String to = spec.substring(dash + 1).trim();
        if (!digits(from) && !from.isEmpty() || !digits(to) && !to.isEmpty() || from.isEmpty() && to.isEmpty()) {
            return Optional.empty();
        }
        if (from.isEmpty()) { // the last n bytes
            long n = Long.parseLong(to);
            if (n == 0 || size == 0) {
                throw new Unsatisfiable();
            }
            return Optional.of(new ByteRange(Math.max(0, size - n), size - 1));
        }
        long first = Long.parseLong(from);
        long last = to.isEmpty() ? size - 1 : Math.min(Long.parseLong(to), size - 1);
        if (!to.isEmpty() && Long.parseLong(to) < first) {
            return Optional.empty(); // syntactically invalid: ignore
        }
        if (first >= size) {
            throw new Unsatisfiable();
        }
        return Optional.of(new ByteRange(first, last));
    }

    /** 1 to 18 decimal digits: fits a long, no signs or spaces. */
    private static boolean digits(String s) {
        return !s.isEmpty() && s.length() <= 18 && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
