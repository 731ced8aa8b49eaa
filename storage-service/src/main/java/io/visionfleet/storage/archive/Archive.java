package io.visionfleet.storage.archive;

import io.visionfleet.common.bus.Json;
import io.visionfleet.storage.mp4.Mp4Fragments;
import io.visionfleet.storage.mp4.Mp4Probe;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The archive on disk and its index: the one place that creates, closes and deletes segments and writes session
 * metadata, so files, {@link ArchiveIndex} and metadata.json agree. A segment is written under its partial name
 * and renamed to its final name only once closed and forced to disk; metadata.json is replaced atomically.
 */
public final class Archive {
    private static final Logger LOG = Logger.getLogger(Archive.class);

    private final ArchiveLayout layout;
    private final ArchiveIndex index = new ArchiveIndex();
    private final Consumer<SegmentInfo> closedListener;

    /** @param closedListener told about every segment closed or recovered (publishes {@code recordings_exchange}) */
    public Archive(ArchiveLayout layout, Consumer<SegmentInfo> closedListener) {
        this.layout = layout;
        this.closedListener = closedListener;
    }

    public ArchiveLayout layout() {
        return layout;
    }

    public ArchiveIndex index() {
        return index;
    }

    /** Starts a session of {@code streamId} at capture time {@code startTs}. */
    public Session startSession(String streamId, long startTs) {
        Session session = new Session(streamId, startTs);
        index.putSession(session);
        writeMetadata(session);
        return session;
    }

    /** Registers a new segment being written and returns the path to write it to. */
    public Path openSegment(Session session, long startTs) throws IOException {
        Path file = layout.partialSegment(session.streamId(), startTs);
        Files.createDirectories(file.getParent());
        SegmentInfo segment = SegmentInfo.recording(session.streamId(), session.id(), startTs, layout.relative(file));
        session.putSegment(segment);
        index.putSegment(segment);
        writeMetadata(session);
        return file;
    }

    /**
     * Closes a segment that was written completely: forces it to disk, renames it to its final name, records its
     * time range, size and frames, and tells the listener.
     */
    public SegmentInfo closeSegment(Session session, long startTs, long endTs, long frames, String reason)
            throws IOException {
        Path partial = layout.partialSegment(session.streamId(), startTs);
        Path done = layout.segment(session.streamId(), startTs);
        Durable.renameForced(partial, done);
        return registerClosed(session, startTs, endTs, frames, reason);
    }

    /** Records a segment already under its final name as closed (also used by recovery). */
    SegmentInfo registerClosed(Session session, long startTs, long endTs, long frames, String reason)
            throws IOException {
        Path done = layout.segment(session.streamId(), startTs);
        SegmentInfo open = index.segment(session.streamId(), startTs)
                .orElse(SegmentInfo.recording(session.streamId(), session.id(), startTs, layout.relative(done)));
        SegmentInfo closed = open.closed(endTs, layout.relative(done), Files.size(done), frames, reason);
        session.putSegment(closed);
        index.putSegment(closed);
        writeMetadata(session);
        closedListener.accept(closed);
        return closed;
    }

    /**
     * Keeps what is playable of a segment that was not closed cleanly (a crash, a failed write): cuts the file
     * after its last complete fragment, renames it to its final name and indexes it with the duration and frame
     * count FFmpeg reads from it, as ffprobe would. A file without a complete fragment is deleted.
     *
     * @return the closed segment, or empty when nothing was playable
     */
    public Optional<SegmentInfo> salvageSegment(Session session, long startTs, String reason) throws IOException {
        Path partial = layout.partialSegment(session.streamId(), startTs);
        Path done = layout.segment(session.streamId(), startTs);
        if (Files.exists(partial)) {
            if (!truncateToLastFragment(partial)) {
                LOG.warnf("deleting %s: it holds no complete fragment", partial);
                discardSegment(session, startTs);
                return Optional.empty();
            }
            Durable.renameForced(partial, done);
        } else if (!Files.exists(done)) {
            discardSegment(session, startTs);
            return Optional.empty();
        }
        Mp4Probe.Summary summary = Mp4Probe.probe(done);
        relistSnapshots(session, startTs);
        return Optional.of(registerClosed(session, startTs, startTs + summary.durationMs(), summary.frames(), reason));
    }

    /** Lists snapshot files of a segment that its session does not know (taken after its last metadata write). */
    private void relistSnapshots(Session session, long segmentStart) throws IOException {
        Set<Long> known = new HashSet<>();
        session.frames().forEach(f -> known.add(f.captureTs()));
        for (Path file : groupFiles(layout.hourDir(session.streamId(), segmentStart), segmentStart)) {
            String name = file.getFileName().toString();
            String[] parts = name.split("\\.");
            if (parts.length == 3 && parts[2].equals("jpg") && ArchiveLayout.keyOf(parts[1]).isPresent()) {
                long ts = ArchiveLayout.keyOf(parts[1]).getAsLong();
                if (known.add(ts)) {
                    session.addFrame(new SnapshotRef(null, ts, segmentStart, layout.relative(file)));
                }
            }
        }
    }

    /** Drops a segment that holds nothing playable (it failed before its first fragment). */
    public void discardSegment(Session session, long startTs) throws IOException {
        Files.deleteIfExists(layout.partialSegment(session.streamId(), startTs));
        session.removeSegment(startTs);
        index.removeSegment(session.streamId(), startTs);
        writeMetadata(session);
    }

    public void addGap(Session session, Gap gap) {
        session.addGap(gap);
        writeMetadata(session);
    }

    /**
     * Saves a snapshot taken during segment {@code segmentStart} and lists it in the session's frames. The listing
     * reaches metadata.json with the segment's close (rewriting and forcing it for every snapshot would cost more
     * than the recording); after a crash, recovery lists the snapshot files of the recovered segment again.
     */
    public SnapshotRef saveSnapshot(Session session, long segmentStart, long frameNumber, long ts, byte[] jpeg)
            throws IOException {
        Path file = layout.snapshot(session.streamId(), segmentStart, ts);
        Files.createDirectories(file.getParent());
        try {
            Files.write(file, jpeg);
        } catch (IOException e) {
            Files.deleteIfExists(file); // a full disk would leave a truncated picture
            throw e;
        }
        SnapshotRef ref = new SnapshotRef(frameNumber, ts, segmentStart, layout.relative(file));
        session.addFrame(ref);
        return ref;
    }

    public void endSession(Session session, long endTs, String reason) {
        session.end(endTs, reason);
        writeMetadata(session);
    }

    /**
     * Deletes every file of the segment group {@code key} of a stream (video, results, snapshots) and forgets the
     * segment; a session left with no segment is deleted once ended. Never called for an open segment.
     *
     * @return bytes freed
     */
    public long deleteGroup(String streamId, long key) throws IOException {
        Optional<SegmentInfo> segment = index.segment(streamId, key);
        if (segment.isPresent() && segment.get().open()) {
            throw new IllegalStateException("segment " + key + " of " + streamId + " is being written");
        }
        Path dir = layout.hourDir(streamId, key);
        long freed = 0;
        for (Path file : groupFiles(dir, key)) {
            freed += sizeOrZero(file);
            Files.deleteIfExists(file);
        }
        deleteEmptyParents(dir, layout.streamDir(streamId));
        if (segment.isPresent()) {
            index.removeSegment(streamId, key);
            Optional<Session> session = index.session(streamId, sessionStart(segment.get()));
            session.ifPresent(s -> {
                s.removeSegment(key);
                if (s.ended() && s.segments().isEmpty()) {
                    deleteSession(s);
                } else {
                    writeMetadata(s);
                }
            });
        }
        return freed;
    }

    /** Deletes a session that holds no segment (its metadata and folder). */
    void deleteEmptySession(Session session) {
        if (!session.segments().isEmpty()) {
            throw new IllegalStateException("session " + session.id() + " still has segments");
        }
        deleteSession(session);
    }

    /** Files named {@code {key}.*} in {@code dir}. */
    public static List<Path> groupFiles(Path dir, long key) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, key + ".*")) {
            entries.forEach(files::add);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return files;
    }

    /** Writes the session's metadata.json; a failure is logged, never thrown into recording. */
    void writeMetadata(Session session) {
        Path file = layout.metadata(session.streamId(), session.startTs());
        synchronized (session) {
            try {
                Durable.writeAtomically(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(session.document()));
            } catch (IOException e) {
                LOG.errorf("writing %s failed: %s", file, e.getMessage());
            }
        }
    }

    /** Adds a session read back from disk to the index. */
    void restore(Session session) {
        index.putSession(session);
        session.segments().forEach(index::putSegment);
    }

    /** Cuts the file after its last complete fragment; false when it has none. */
    private static boolean truncateToLastFragment(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Mp4Fragments.Extent extent = Mp4Fragments.scan(channel);
            if (!extent.playable()) {
                return false;
            }
            if (extent.playableBytes() < channel.size()) {
                LOG.infof("%s: dropping %d bytes of an incomplete fragment", file, channel.size() - extent.playableBytes());
                channel.truncate(extent.playableBytes());
            }
            channel.force(false);
            return true;
        }
    }

    private void deleteSession(Session session) {
        index.removeSession(session);
        Path dir = layout.sessionDir(session.streamId(), session.startTs());
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path file : entries) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(dir);
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            throw new UncheckedIOException("deleting session " + session.id(), e);
        }
    }

    private static long sessionStart(SegmentInfo segment) {
        String id = segment.sessionId();
        return Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
    }

    private static long sizeOrZero(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Removes {@code dir} and its parents up to (not including) {@code stop} while they are empty. */
    private static void deleteEmptyParents(Path dir, Path stop) {
        for (Path d = dir; d != null && d.startsWith(stop) && !d.equals(stop); d = d.getParent()) {
            try {
                Files.delete(d);
            } catch (IOException e) {
                return; // not empty (or already gone): its parents are not empty either
            }
        }
    }
}
