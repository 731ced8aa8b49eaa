package io.visionfleet.storage.archive;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One session: a stream recorded continuously by one storage process, from its first key frame after the stream
 * was followed until it was unfollowed, the service stopped or crashed, or it was lost for longer than the
 * session gap. Shorter losses (relay restart, network drop) stay in the session as {@link Gap}s between segments.
 *
 * <p>Mutated by the stream's recorder and by retention; every method locks the session, and so does
 * {@link Archive} while it writes the session's metadata.json.
 */
public final class Session {
    public static final String STOPPED = "stopped";
    public static final String CRASHED = "crashed";
    public static final String STREAM_LOST = "stream_lost";

    private final String streamId;
    private final long startTs;
    private final List<SegmentInfo> segments = new ArrayList<>();
    private final List<Gap> gaps = new ArrayList<>();
    private final List<SnapshotRef> frames = new ArrayList<>();
    private long closedFrames;
    private Long endTs;
    private String endReason;

    public Session(String streamId, long startTs) {
        this.streamId = streamId;
        this.startTs = startTs;
    }

    static Session of(SessionDocument document) {
        Session session = new Session(document.streamId(), document.startTs());
        session.segments.addAll(document.segments());
        session.gaps.addAll(document.gaps());
        session.frames.addAll(document.frames());
        session.closedFrames = document.totalFrames()
                - document.segments().stream().filter(SegmentInfo::open).mapToLong(SegmentInfo::frames).sum();
        session.endTs = document.endTs();
        session.endReason = document.endReason();
        return session;
    }

    public static String idOf(String streamId, long startTs) {
        return streamId + "-" + startTs;
    }

    public String id() {
        return idOf(streamId, startTs);
    }

    public String streamId() {
        return streamId;
    }

    public long startTs() {
        return startTs;
    }

    public synchronized boolean ended() {
        return endTs != null;
    }

    public synchronized Optional<Long> endTs() {
        return Optional.ofNullable(endTs);
    }

    public synchronized Optional<String> endReason() {
        return Optional.ofNullable(endReason);
    }

    public synchronized List<SegmentInfo> segments() {
        return List.copyOf(segments);
    }

    public synchronized List<Gap> gaps() {
        return List.copyOf(gaps);
    }

    public synchronized List<SnapshotRef> frames() {
        return List.copyOf(frames);
    }

    /** Adds a segment or replaces the one with the same start (e.g. when it closes). */
    synchronized void putSegment(SegmentInfo segment) {
        for (int i = 0; i < segments.size(); i++) {
            if (segments.get(i).startTs() == segment.startTs()) {
                SegmentInfo previous = segments.set(i, segment);
                if (previous.open() && !segment.open()) {
                    closedFrames += segment.frames();
                }
                return;
            }
        }
        segments.add(segment);
        if (!segment.open()) {
            closedFrames += segment.frames();
        }
    }

    /** Forgets a deleted segment and the snapshots taken from it; the frame total keeps counting it. */
    synchronized void removeSegment(long segmentStart) {
        segments.removeIf(s -> s.startTs() == segmentStart);
        frames.removeIf(f -> f.segmentStart() == segmentStart);
    }

    synchronized void addGap(Gap gap) {
        gaps.add(gap);
    }

    synchronized void addFrame(SnapshotRef frame) {
        frames.add(frame);
        if (frames.size() > 1 && frames.get(frames.size() - 2).captureTs() > frame.captureTs()) {
            frames.sort(Comparator.comparingLong(SnapshotRef::captureTs)); // one listed again by recovery
        }
    }

    synchronized void end(long endTs, String reason) {
        if (this.endTs == null) {
            this.endTs = endTs;
            this.endReason = reason;
        }
    }

    /** The end of its last segment, or its start when it has none. */
    public synchronized long lastEndTs() {
        return segments.stream().mapToLong(SegmentInfo::endTs).max().orElse(startTs);
    }

    /** The session as its metadata.json holds it. */
    public synchronized SessionDocument document() {
        long openFrames = segments.stream().filter(SegmentInfo::open).mapToLong(SegmentInfo::frames).sum();
        return new SessionDocument(SessionDocument.SCHEMA, id(), streamId, iso(startTs),
                endTs == null ? null : iso(endTs), startTs, endTs, endReason, closedFrames + openFrames,
                List.copyOf(frames), List.copyOf(segments), List.copyOf(gaps));
    }

    private static String iso(long epochMs) {
        return Instant.ofEpochMilli(epochMs).toString();
    }
}
