package io.visionfleet.storage.archive;

import io.visionfleet.common.stream.StreamIds;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.OptionalLong;

/**
 * Where everything lives under the archive root (times in UTC, {@code {start}} = capture time of the segment's
 * first picture in epoch ms):
 * <pre>
 * {root}/{stream}/{YYYY-MM-DD}/{HH}/{start}.mp4               closed segment
 * {root}/{stream}/{YYYY-MM-DD}/{HH}/{start}.partial.mp4       segment being written (fragmented, plays as is)
 * {root}/{stream}/{YYYY-MM-DD}/{HH}/{start}.{ts}.jpg          snapshot at capture time ts, taken from that segment
 * {root}/{stream}/{YYYY-MM-DD}/{HH}/{key}.{kind}.jsonl        archived results; key = segment start, or the hour
 * {root}/{stream}/sessions/{sessionStart}/metadata.json       session metadata and segment index
 * {root}/.exports/                                            clips being exported (not a valid stream id)
 * </pre>
 * Every file of a segment starts with {@code {start}.}, so deleting a segment deletes that group. Paths that come
 * from outside (API, messages) are built only from validated stream ids and numbers, and resolved paths are
 * checked to stay under the root.
 */
public final class ArchiveLayout {
    public static final String SEGMENT_SUFFIX = ".mp4";
    public static final String PARTIAL_SUFFIX = ".partial.mp4";
    public static final String SESSIONS = "sessions";
    public static final String METADATA = "metadata.json";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH").withZone(ZoneOffset.UTC);
    private static final long HOUR_MS = 3_600_000L;

    private final Path root;

    public ArchiveLayout(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path streamDir(String streamId) {
        return root.resolve(StreamIds.require(streamId));
    }

    /** {@code {root}/{stream}/{YYYY-MM-DD}/{HH}} of capture time {@code ts}. */
    public Path hourDir(String streamId, long ts) {
        Instant t = Instant.ofEpochMilli(ts);
        return streamDir(streamId).resolve(DAY.format(t)).resolve(HOUR.format(t));
    }

    public Path segment(String streamId, long start) {
        return hourDir(streamId, start).resolve(start + SEGMENT_SUFFIX);
    }

    public Path partialSegment(String streamId, long start) {
        return hourDir(streamId, start).resolve(start + PARTIAL_SUFFIX);
    }

    public Path snapshot(String streamId, long segmentStart, long ts) {
        return hourDir(streamId, segmentStart).resolve(segmentStart + "." + ts + ".jpg");
    }

    /** The JSON Lines file of results of {@code kind} filed under {@code key} (a segment start or an hour). */
    public Path results(String streamId, long key, String kind) {
        return hourDir(streamId, key).resolve(key + "." + kind + ".jsonl");
    }

    public Path sessionDir(String streamId, long sessionStart) {
        return streamDir(streamId).resolve(SESSIONS).resolve(Long.toString(sessionStart));
    }

    public Path metadata(String streamId, long sessionStart) {
        return sessionDir(streamId, sessionStart).resolve(METADATA);
    }

    /** Where clips are written before they are sent: on the archive's disk, outside every stream. */
    public Path exportDir() {
        return root.resolve(".exports");
    }

    /** The start of the hour {@code ts} falls in: the key of results that belong to no segment. */
    public static long hourOf(long ts) {
        return Math.floorDiv(ts, HOUR_MS) * HOUR_MS;
    }

    /** {@code path} relative to the root, with {@code /} separators, as stored in metadata and events. */
    public String relative(Path path) {
        return root.relativize(path.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    /**
     * Resolves a path relative to the root, as read from metadata.
     *
     * @throws IllegalArgumentException when it would leave the root
     */
    public Path resolve(String relative) {
        Path resolved = root.resolve(relative).normalize();
        if (!resolved.startsWith(root) || resolved.equals(root)) {
            throw new IllegalArgumentException("path outside the archive: " + relative);
        }
        return resolved;
    }

    /** The leading number of a file name ({@code 1741943702040} of {@code 1741943702040.mp4}), if it has one. */
    public static OptionalLong keyOf(String fileName) {
        int dot = fileName.indexOf('.');
        String digits = dot < 0 ? fileName : fileName.substring(0, dot);
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(Character::isDigit)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(digits));
    }
}
