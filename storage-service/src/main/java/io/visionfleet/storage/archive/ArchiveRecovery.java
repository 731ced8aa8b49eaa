package io.visionfleet.storage.archive;

import io.visionfleet.common.bus.Json;
import io.visionfleet.common.stream.StreamIds;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Brings the archive back to a consistent state at start-up, before anything records: reads every session's
 * metadata.json into the index, and finishes what a crash (kill -9, power cut) left open.
 * <ul>
 * <li>A segment still being written is cut after its last complete MP4 fragment, renamed to its final name and
 * indexed with the duration and frame count FFmpeg reads from it (as ffprobe would); one without a complete
 * fragment is deleted, so nothing is left that a player cannot open.</li>
 * <li>A session still open is ended at the end of its last segment with reason {@code crashed}; one left
 * without any segment is deleted.</li>
 * <li>A partial segment no metadata knows about gets a session of its own.</li>
 * <li>Clip exports a crash interrupted ({@code .exports/}) are deleted.</li>
 * </ul>
 */
public final class ArchiveRecovery {
    private static final Logger LOG = Logger.getLogger(ArchiveRecovery.class);

    /** What recovery did, for the start-up log and tests. */
    public record Report(int sessions, int segments, int recovered, int discarded) {
    }

    private final Archive archive;
    private final ArchiveLayout layout;
    private int recovered;
    private int discarded;

    private ArchiveRecovery(Archive archive) {
        this.archive = archive;
        this.layout = archive.layout();
    }

    public static Report recover(Archive archive) throws IOException {
        return new ArchiveRecovery(archive).run();
    }

    private Report run() throws IOException {
        Files.createDirectories(layout.root());
        deleteExports();
        List<Session> sessions = new ArrayList<>();
        List<Path> partials = new ArrayList<>();
        try (DirectoryStream<Path> streams = Files.newDirectoryStream(layout.root(), Files::isDirectory)) {
            for (Path streamDir : streams) {
                String streamId = streamDir.getFileName().toString();
                if (!StreamIds.isValid(streamId)) {
                    continue;
                }
                sessions.addAll(readSessions(streamId));
                partials.addAll(findPartials(streamDir));
            }
        }
        for (Session session : sessions) {
            archive.restore(session);
        }
        for (Session session : sessions) {
            for (SegmentInfo segment : session.segments()) {
                if (segment.open()) {
                    finish(session, segment.startTs());
                } else if (!Files.exists(layout.segment(session.streamId(), segment.startTs()))) {
                    LOG.warnf("segment %s is indexed but its file is gone; dropping it from the index", segment.path());
                    archive.discardSegment(session, segment.startTs());
                }
            }
        }
        for (Path partial : partials) {
            adoptOrphan(partial);
        }
        int segments = 0;
        for (Session session : archive.index().streams().stream().flatMap(s -> archive.index().sessions(s).stream()).toList()) {
            if (session.segments().isEmpty()) {
                archive.deleteEmptySession(session); // it crashed before its first fragment: nothing to play
            } else if (!session.ended()) {
                archive.endSession(session, session.lastEndTs(), Session.CRASHED);
            }
            segments += session.segments().size();
        }
        Report report = new Report(sessions.size(), segments, recovered, discarded);
        LOG.infof("archive %s: %d sessions, %d segments; %d segments recovered after a crash, %d unplayable ones deleted",
                layout.root(), report.sessions(), report.segments(), report.recovered(), report.discarded());
        return report;
    }

    private void deleteExports() throws IOException {
        Path exports = layout.exportDir();
        if (Files.isDirectory(exports)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(exports)) {
                for (Path file : files) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private List<Session> readSessions(String streamId) throws IOException {
        Path dir = layout.streamDir(streamId).resolve(ArchiveLayout.SESSIONS);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Session> sessions = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path sessionDir : entries) {
                Files.deleteIfExists(sessionDir.resolve(ArchiveLayout.METADATA + ".tmp"));
                Path metadata = sessionDir.resolve(ArchiveLayout.METADATA);
                if (!Files.isRegularFile(metadata)) {
                    continue;
                }
                try {
                    SessionDocument document = Json.MAPPER.readValue(metadata.toFile(), SessionDocument.class);
                    if (!streamId.equals(document.streamId())) {
                        throw new IOException("it names stream " + document.streamId());
                    }
                    sessions.add(Session.of(document));
                } catch (IOException e) {
                    LOG.errorf("ignoring unreadable session metadata %s: %s", metadata, e.getMessage());
                }
            }
        }
        return sessions;
    }

    private static List<Path> findPartials(Path streamDir) throws IOException {
        // {stream}/{day}/{hour}/{start}.partial.mp4
        try (Stream<Path> files = Files.find(streamDir, 3, (path, attributes) -> attributes.isRegularFile()
                && path.getFileName().toString().endsWith(ArchiveLayout.PARTIAL_SUFFIX))) {
            return files.toList();
        }
    }

    /** Closes or discards segment {@code start} of a session, from whichever of its files the crash left. */
    private void finish(Session session, long start) throws IOException {
        Optional<SegmentInfo> closed = archive.salvageSegment(session, start, SegmentInfo.RECOVERED);
        if (closed.isPresent()) {
            recovered++;
            LOG.infof("recovered %s: %d frames, %d ms", closed.get().path(), closed.get().frames(),
                    closed.get().endTs() - closed.get().startTs());
        } else {
            discarded++;
        }
    }

    private void adoptOrphan(Path partial) throws IOException {
        if (!Files.exists(partial)) {
            return; // finished above with its session
        }
        OptionalLong start = ArchiveLayout.keyOf(partial.getFileName().toString());
        String streamId = layout.relative(partial).split("/")[0];
        if (start.isEmpty() || !partial.equals(layout.partialSegment(streamId, start.getAsLong()))) {
            LOG.warnf("leaving %s alone: not a segment name of this archive", partial);
            return;
        }
        Session session = archive.startSession(streamId, start.getAsLong());
        archive.openSegment(session, start.getAsLong());
        finish(session, start.getAsLong());
    }
}
