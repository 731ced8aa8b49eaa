package io.visionfleet.storage.results;

import com.fasterxml.jackson.databind.JsonNode;
import io.visionfleet.common.bus.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads the identities of recently archived results back from the JSON Lines files, so that a restarted storage
 * recognises the redeliveries of what it wrote before it stopped. Bounded: only files modified within {@code age},
 * oldest first, and of each only the last {@link #TAIL_BYTES}; a line cut short by a crash is skipped.
 */
final class ArchivedTail {
    static final int TAIL_BYTES = 4 << 20;
    private static final String SUFFIX = ".jsonl";

    private ArchivedTail() {
    }

    /** Adds the identities found to {@code into}; returns how many lines were read. */
    static int load(Path root, Duration age, RecentResults into) throws IOException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        FileTime since = FileTime.fromMillis(System.currentTimeMillis() - age.toMillis());
        List<Path> recent;
        try (Stream<Path> files = Files.walk(root)) {
            recent = files.filter(f -> f.getFileName().toString().endsWith(SUFFIX))
                    .filter(f -> modified(f).compareTo(since) >= 0)
                    .sorted(Comparator.comparing(ArchivedTail::modified))
                    .toList();
        }
        int lines = 0;
        for (Path file : recent) {
            Optional<ResultKind> kind = kindOf(file);
            if (kind.isPresent()) {
                lines += read(file, kind.get(), into);
            }
        }
        return lines;
    }

    /** {@code {key}.{kind}.jsonl}. */
    private static Optional<ResultKind> kindOf(Path file) {
        String name = file.getFileName().toString();
        String stem = name.substring(0, name.length() - SUFFIX.length());
        return ResultKind.byName(stem.substring(stem.indexOf('.') + 1));
    }

    private static int read(Path file, ResultKind kind, RecentResults into) throws IOException {
        byte[] tail;
        boolean whole;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            long start = Math.max(0, size - TAIL_BYTES);
            whole = start == 0;
            ByteBuffer buffer = ByteBuffer.allocate((int) (size - start));
            int read;
            do { // until full, or the file ends early (truncated since)
                read = channel.read(buffer, start + buffer.position());
            } while (read > 0 && buffer.hasRemaining());
            tail = buffer.array();
        } catch (NoSuchFileException e) {
            return 0; // removed by retention since the walk
        }
        int from = 0;
        if (!whole) {
            from = indexOf(tail, 0) + 1; // the first line of a tail is a fragment
            if (from == 0) {
                return 0;
            }
        }
        int lines = 0;
        for (int end = indexOf(tail, from); end >= 0; end = indexOf(tail, from)) {
            addLine(kind, tail, from, end, into);
            lines++;
            from = end + 1;
        }
        return lines;
    }

    private static void addLine(ResultKind kind, byte[] bytes, int from, int end, RecentResults into) {
        byte[] line = Arrays.copyOfRange(bytes, from, end);
        JsonNode message;
        try {
            message = Json.MAPPER.readTree(line);
        } catch (IOException e) {
            return;
        }
        if (message != null) {
            ResultKey.of(message).ifPresent(key -> into.add(ResultIdentity.of(kind, key, message, line, line.length)));
        }
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0); // gone since the walk: sorts first, and reading it finds nothing
        }
    }
}
