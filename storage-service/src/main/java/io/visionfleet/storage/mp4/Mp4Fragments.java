package io.visionfleet.storage.mp4;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Finds how much of a fragmented MP4 is complete, by walking its top-level boxes: {@code ftyp}, {@code moov},
 * then {@code moof}+{@code mdat} pairs (and, once closed, {@code mfra}). A writer killed mid-fragment leaves a
 * box that runs past the end of the file or a {@code moof} without its {@code mdat}; everything from there on is
 * dropped. Only box headers are read, 16 bytes each.
 *
 * <p>The walk is a state machine over box types with hard limits: sizes must fit the file, at most
 * {@link #MAX_BOXES} boxes, and the header boxes must come first.
 */
public final class Mp4Fragments {
    /** More boxes than a day of 1 s fragments; a file with more is not one of ours. */
    static final int MAX_BOXES = 400_000;
    private static final int HEADER = 8;
    private static final int LARGE_HEADER = 16;

    /** What the walk found. */
    public record Extent(long playableBytes, int fragments, boolean hasHeader) {
        /** True when a player can open the first {@code playableBytes} and show at least one picture. */
        public boolean playable() {
            return hasHeader && fragments > 0;
        }
    }

    private enum Expect { FTYP, MOOV, FRAGMENT_OR_END, MDAT }

    private Mp4Fragments() {
    }

    /** Walks {@code file}'s boxes; the returned extent ends after the last complete fragment. */
    public static Extent scan(FileChannel file) throws IOException {
        long size = file.size();
        ByteBuffer header = ByteBuffer.allocate(LARGE_HEADER);
        Expect expect = Expect.FTYP;
        long position = 0;
        long complete = 0;
        int fragments = 0;
        boolean hasHeader = false;
        for (int boxes = 0; boxes < MAX_BOXES && position + HEADER <= size; boxes++) {
            header.clear().limit(HEADER);
            if (readFully(file, header, position) < HEADER) {
                break;
            }
            long boxSize = Integer.toUnsignedLong(header.getInt(0));
            String type = fourCc(header);
            int headerLength = HEADER;
            if (boxSize == 1) { // 64-bit size follows the type
                header.limit(LARGE_HEADER).position(HEADER);
                if (readFully(file, header, position + HEADER) < HEADER) {
                    break;
                }
                boxSize = header.getLong(HEADER);
                headerLength = LARGE_HEADER;
            } else if (boxSize == 0) { // "runs to the end of the file": a writer that died before fixing the size
                break;
            }
            if (boxSize < headerLength || boxSize > size - position) {
                break; // truncated box
            }
            long end = position + boxSize;
            switch (expect) {
                case FTYP -> {
                    if (!type.equals("ftyp")) {
                        return new Extent(0, 0, false);
                    }
                    expect = Expect.MOOV;
                }
                case MOOV -> {
                    if (type.equals("moov")) {
                        hasHeader = true;
                        complete = end;
                        expect = Expect.FRAGMENT_OR_END;
                    } else if (!isFiller(type)) {
                        return new Extent(0, 0, false);
                    }
                }
                case FRAGMENT_OR_END -> {
                    if (type.equals("moof")) {
                        expect = Expect.MDAT;
                    } else if (type.equals("mfra") || isFiller(type)) {
                        complete = end; // the trailer of a closed file, or boxes a player skips
                    } else {
                        return new Extent(complete, fragments, hasHeader);
                    }
                }
                case MDAT -> {
                    if (!type.equals("mdat")) {
                        return new Extent(complete, fragments, hasHeader);
                    }
                    fragments++;
                    complete = end;
                    expect = Expect.FRAGMENT_OR_END;
                }
            }
            position = end;
        }
        return new Extent(complete, fragments, hasHeader);
    }

    private static boolean isFiller(String type) {
        return type.equals("free") || type.equals("skip") || type.equals("sidx") || type.equals("styp")
                || type.equals("uuid");
    }

    private static String fourCc(ByteBuffer header) {
        char[] chars = new char[4];
        for (int i = 0; i < 4; i++) {
            int c = header.get(4 + i) & 0xff;
            chars[i] = c >= 0x20 && c < 0x7f ? (char) c : '?';
        }
        return new String(chars);
    }

    private static int readFully(FileChannel file, ByteBuffer buffer, long position) throws IOException {
        int total = 0;
        while (buffer.hasRemaining()) {
            int n = file.read(buffer, position + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }
}
