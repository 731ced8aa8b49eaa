package io.visionfleet.storage.archive;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The archive's sessions and segments in memory, per stream and ordered by start time, so the API, the results
 * archive and retention answer time-range questions without touching the disk. Loaded by recovery at start-up
 * and kept current by {@link Archive}. Safe for concurrent use.
 */
public final class ArchiveIndex {
    private final Map<String, NavigableMap<Long, SegmentInfo>> segments = new ConcurrentHashMap<>();
    private final Map<String, NavigableMap<Long, Session>> sessions = new ConcurrentHashMap<>();

    void putSession(Session session) {
        sessions.computeIfAbsent(session.streamId(), k -> new ConcurrentSkipListMap<>()).put(session.startTs(), session);
    }

    void removeSession(Session session) {
        NavigableMap<Long, Session> map = sessions.get(session.streamId());
        if (map != null) {
            map.remove(session.startTs(), session);
        }
    }

    void putSegment(SegmentInfo segment) {
        segments.computeIfAbsent(segment.streamId(), k -> new ConcurrentSkipListMap<>()).put(segment.startTs(), segment);
    }

    void removeSegment(String streamId, long start) {
        NavigableMap<Long, SegmentInfo> map = segments.get(streamId);
        if (map != null) {
            map.remove(start);
        }
    }

    /** Streams with anything archived, sorted. */
    public Set<String> streams() {
        Set<String> ids = new TreeSet<>();
        segments.forEach((id, map) -> {
            if (!map.isEmpty()) {
                ids.add(id);
            }
        });
        sessions.forEach((id, map) -> {
            if (!map.isEmpty()) {
                ids.add(id);
            }
        });
        return ids;
    }

    public Optional<SegmentInfo> segment(String streamId, long start) {
        NavigableMap<Long, SegmentInfo> map = segments.get(streamId);
        return map == null ? Optional.empty() : Optional.ofNullable(map.get(start));
    }

    /** The segment whose time range contains capture time {@code ts}. */
    public Optional<SegmentInfo> segmentCovering(String streamId, long ts) {
        NavigableMap<Long, SegmentInfo> map = segments.get(streamId);
        if (map == null) {
            return Optional.empty();
        }
        Map.Entry<Long, SegmentInfo> floor = map.floorEntry(ts);
        return floor != null && floor.getValue().covers(ts) ? Optional.of(floor.getValue()) : Optional.empty();
    }

    /** Segments of a stream overlapping {@code [from, to)}, oldest first. */
    public List<SegmentInfo> segments(String streamId, long from, long to) {
        NavigableMap<Long, SegmentInfo> map = segments.get(streamId);
        if (map == null) {
            return List.of();
        }
        // a segment starting before from can still overlap it: begin at the one covering from
        Long first = map.floorKey(from);
        NavigableMap<Long, SegmentInfo> candidates = map.subMap(first == null ? Long.MIN_VALUE : first, true, to, false);
        return candidates.values().stream().filter(s -> s.overlaps(from, to)).toList();
    }

    /** Every closed segment of every stream, oldest start first: retention's deletion order. */
    public List<SegmentInfo> closedSegmentsOldestFirst() {
        List<SegmentInfo> all = new ArrayList<>();
        segments.values().forEach(map -> map.values().stream().filter(s -> !s.open()).forEach(all::add));
        all.sort(Comparator.comparingLong(SegmentInfo::startTs).thenComparing(SegmentInfo::streamId));
        return all;
    }

    public List<Session> sessions(String streamId) {
        NavigableMap<Long, Session> map = sessions.get(streamId);
        return map == null ? List.of() : List.copyOf(map.values());
    }

    public Optional<Session> session(String streamId, long start) {
        NavigableMap<Long, Session> map = sessions.get(streamId);
        return map == null ? Optional.empty() : Optional.ofNullable(map.get(start));
    }
}
