package io.visionfleet.faults;

import io.visionfleet.common.bus.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Reads storage-service's JSON Lines results archive of one kind ({@code processed_frames}, ...) from its root. */
final class ArchivedResults {
    private ArchivedResults() {
    }

    /** Every line of {@code kind} for {@code streamId}; lines that are not whole results are ignored. */
    static ResultCount read(Path root, String streamId, String kind) {
        ResultCount count = new ResultCount();
        Path dir = root.resolve(streamId);
        if (!Files.isDirectory(dir)) {
            return count;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith("." + kind + ".jsonl")).toList()) {
                addLines(Files.readAllLines(file), count);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return count;
    }

    private static void addLines(List<String> lines, ResultCount count) {
        for (String line : lines) {
            try {
                FrameResult.of(Json.MAPPER.readTree(line)).ifPresent(count::add);
            } catch (IOException e) {
                // a line still being written
            }
        }
    }
}
