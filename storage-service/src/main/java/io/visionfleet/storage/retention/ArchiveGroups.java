package io.visionfleet.storage.retention;

import io.visionfleet.common.stream.StreamIds;
import io.visionfleet.storage.archive.ArchiveLayout;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The archive as retention sees it on disk: groups of files sharing a key ({@code {key}.*} in an hour directory:
 * a segment with its snapshots and results, or an hour's results outside segments), with their sizes, plus the
 * bytes of session metadata. The disk, not the index, is the truth for what uses space.
 */
final class ArchiveGroups {
    /** Files of one key in one hour directory. */
    record Group(String streamId, long key, long bytes, boolean partial) {
    }

    /** Everything found, groups oldest key first. */
    record Usage(List<Group> groups, long metadataBytes) {
        long totalBytes() {
            return metadataBytes + groups.stream().mapToLong(Group::bytes).sum();
        }
    }

    private ArchiveGroups() {
    }

    static Usage scan(ArchiveLayout layout) throws IOException {
        List<Group> groups = new ArrayList<>();
        long metadata = 0;
        try (DirectoryStream<Path> streams = Files.newDirectoryStream(layout.root(), Files::isDirectory)) {
            for (Path streamDir : streams) {
                String streamId = streamDir.getFileName().toString();
                if (!StreamIds.isValid(streamId)) {
                    continue;
                }
                try (DirectoryStream<Path> days = Files.newDirectoryStream(streamDir, Files::isDirectory)) {
                    for (Path day : days) {
                        if (day.getFileName().toString().equals(ArchiveLayout.SESSIONS)) {
                            metadata += directorySize(day);
                        } else {
                            scanDay(streamId, day, groups);
                        }
                    }
                }
            }
        }
        groups.sort((a, b) -> a.key() != b.key() ? Long.compare(a.key(), b.key()) : a.streamId().compareTo(b.streamId()));
        return new Usage(groups, metadata);
    }

    private static void scanDay(String streamId, Path day, List<Group> groups) throws IOException {
        try (DirectoryStream<Path> hours = Files.newDirectoryStream(day, Files::isDirectory)) {
            for (Path hour : hours) {
                Map<Long, long[]> bytes = new HashMap<>();
                Map<Long, Boolean> partial = new HashMap<>();
                try (DirectoryStream<Path> files = Files.newDirectoryStream(hour, Files::isRegularFile)) {
                    for (Path file : files) {
                        String name = file.getFileName().toString();
                        OptionalLong key = ArchiveLayout.keyOf(name);
                        if (key.isEmpty()) {
                            continue;
                        }
                        bytes.computeIfAbsent(key.getAsLong(), k -> new long[1])[0] += Files.size(file);
                        if (name.endsWith(ArchiveLayout.PARTIAL_SUFFIX)) {
                            partial.put(key.getAsLong(), true);
                        }
                    }
                }
                bytes.forEach((key, size) -> groups.add(new Group(streamId, key, size[0], partial.getOrDefault(key, false))));
            }
        }
    }

    private static long directorySize(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
