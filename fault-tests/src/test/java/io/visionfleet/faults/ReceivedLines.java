package io.visionfleet.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/** The bus-probe's received file ({@code "<run> <seq>"} per line), counted for one run. */
final class ReceivedLines {
    private final Map<Long, Integer> seen = new HashMap<>();
    private long lines;

    static ReceivedLines read(Path file, String run) {
        ReceivedLines count = new ReceivedLines();
        List<String> all;
        try {
            all = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            return count;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String line : all) {
            String[] parts = line.split(" ");
            if (parts.length == 2 && parts[0].equals(run) && parts[1].matches("\\d+")) {
                count.seen.merge(Long.parseLong(parts[1]), 1, Integer::sum);
                count.lines++;
            }
        }
        return count;
    }

    long lines() {
        return lines;
    }

    int distinct() {
        return seen.size();
    }

    boolean contains(long seq) {
        return seen.containsKey(seq);
    }

    /** The numbers from 1 to {@code last} that were not received, in order. */
    List<Long> missing(long last) {
        return LongStream.rangeClosed(1, last).filter(seq -> !seen.containsKey(seq)).boxed().toList();
    }

    long duplicated() {
        return seen.values().stream().filter(n -> n > 1).count();
    }
}
