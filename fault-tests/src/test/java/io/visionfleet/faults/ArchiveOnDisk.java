package io.visionfleet.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.visionfleet.common.bus.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * storage-service's archive as it is on disk (docs/storage.md, Layout), read without the service: what a stopped
 * service left behind.
 */
record ArchiveOnDisk(Path root) {
    /** One segment as its session's metadata.json lists it. */
    record Segment(Path file, long startTs, long endTs, long frames, String state, String closeReason) {
    }

    /** Every segment of every session of {@code stream}, oldest first. */
    List<Segment> segments(String stream) {
        Path sessions = root.resolve(stream).resolve("sessions");
        List<Segment> segments = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(sessions)) {
            for (Path metadata : dirs.map(d -> d.resolve("metadata.json")).filter(Files::isRegularFile).toList()) {
                Json.MAPPER.readTree(metadata.toFile()).path("segments").forEach(s -> segments.add(segment(s)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        segments.sort(Comparator.comparingLong(Segment::startTs));
        return segments;
    }

    /** A segment as metadata.json and {@code GET /archive/streams/{id}/segments} list it. */
    Segment segment(JsonNode s) {
        return new Segment(root.resolve(s.path("path").asText()), s.path("start_ts").asLong(), s.path("end_ts").asLong(),
                s.path("frames").asLong(), s.path("state").asText(), s.path("close_reason").asText(null));
    }

    /** Video files under the root whose name ends with {@code suffix}, e.g. {@code .partial.mp4}. */
    List<Path> files(String suffix) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
