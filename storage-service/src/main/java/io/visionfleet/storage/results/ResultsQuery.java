package io.visionfleet.storage.results;

import com.fasterxml.jackson.databind.JsonNode;
import io.visionfleet.common.bus.Json;
import io.visionfleet.storage.archive.Archive;
import io.visionfleet.storage.archive.ArchiveLayout;
import io.visionfleet.storage.archive.SegmentInfo;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads archived results of a stream back for a capture-time range: the files of the segments that overlap it and
 * of the hours it spans, filtered line by line on {@code capture_ts} (or {@code received_ts}) and sorted by it.
 */
public final class ResultsQuery {
    private static final long HOUR_MS = 3_600_000L;

    /** What a query found; {@code truncated} when more than the limit matched. */
    public record Answer(List<JsonNode> results, boolean truncated) {
    }

    private record Timed(long ts, JsonNode node) {
    }

    private final Archive archive;

    public ResultsQuery(Archive archive) {
        this.archive = archive;
    }

    /** Results of {@code kinds} with capture time in {@code [from, to)}, oldest first, at most {@code limit}. */
    public Answer find(String streamId, Set<ResultKind> kinds, long from, long to, int limit) throws IOException {
        Set<Long> keys = new TreeSet<>();
        archive.index().segments(streamId, from, to).stream().map(SegmentInfo::startTs).forEach(keys::add);
        for (long hour = ArchiveLayout.hourOf(from); hour < to; hour += HOUR_MS) {
            keys.add(hour);
        }
        List<Timed> found = new ArrayList<>();
        for (long key : keys) {
            for (ResultKind kind : kinds) {
                read(archive.layout().results(streamId, key, kind.fileName()), from, to, found);
            }
        }
        found.sort(Comparator.comparingLong(Timed::ts));
        boolean truncated = found.size() > limit;
        List<JsonNode> results = found.stream().limit(limit).map(Timed::node).toList();
        return new Answer(results, truncated);
    }

    private static void read(Path file, long from, long to, List<Timed> into) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = Json.MAPPER.readTree(line);
                } catch (IOException e) {
                    continue; // a line cut short by a crash before its flush
                }
                ResultKey key = ResultKey.of(node).orElse(null);
                if (key != null && key.ts() >= from && key.ts() < to) {
                    into.add(new Timed(key.ts(), node));
                }
            }
        } catch (NoSuchFileException e) {
            // no results of this kind for that segment or hour
        }
    }
}
