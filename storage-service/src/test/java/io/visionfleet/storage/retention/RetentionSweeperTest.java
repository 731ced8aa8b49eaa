package io.visionfleet.storage.retention;

import io.visionfleet.storage.archive.Archive;
import io.visionfleet.storage.archive.ArchiveLayout;
import io.visionfleet.storage.archive.SegmentInfo;
import io.visionfleet.storage.archive.Session;
import io.visionfleet.storage.support.FragmentedSamples;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention on a real archive: two streams of closed segments, each with a snapshot and results beside it,
 * session metadata, and a segment being written that is older than everything else and must survive every rule.
 */
@Tag("quick")
class RetentionSweeperTest {
    private static final long DAY = 86_400_000L;
    private static final long NOW = 1_760_000_000_000L;
    private static final long SEGMENT_MS = 60_000;

    @TempDir
    Path root;
    @TempDir
    Path scratch;
    private Archive archive;
    private Path sample;
    /** Closed segments, oldest first. */
    private final List<SegmentInfo> closed = new ArrayList<>();
    private SegmentInfo open;

    @BeforeEach
    void archive() throws IOException {
        archive = new Archive(new ArchiveLayout(root), s -> { });
        sample = FragmentedSamples.closed(scratch.resolve("sample.mp4"), FragmentedSamples.FRAGMENT_FRAMES);
        Session live = archive.startSession("cam", NOW - 10 * DAY);
        Path partial = archive.openSegment(live, NOW - 10 * DAY); // recording for ten days: never deleted
        Files.copy(sample, partial);
        archive.saveSnapshot(live, NOW - 10 * DAY, 1, NOW - 10 * DAY, new byte[100]);
        open = archive.index().segment("cam", NOW - 10 * DAY).orElseThrow();

        Session old = archive.startSession("cam2", NOW - 9 * DAY);
        for (int i = 0; i < 3; i++) {
            closed.add(segment(old, NOW - 9 * DAY + i * SEGMENT_MS));
        }
        archive.endSession(old, closed.get(2).endTs(), Session.STOPPED);
        Session recent = archive.startSession("cam2", NOW - DAY);
        for (int i = 0; i < 2; i++) {
            closed.add(segment(recent, NOW - DAY + i * SEGMENT_MS));
        }
    }

    @Test
    void byAgeTheSegmentsOlderThanTheLimitGoWithTheirFilesAndEmptiedSession() throws IOException {
        RetentionSweeper sweeper = new RetentionSweeper(archive, new DiskSpace(root, 1), Duration.ofDays(7), Long.MAX_VALUE);

        assertThat(sweeper.sweep(NOW)).isEqualTo(3);

        for (SegmentInfo gone : closed.subList(0, 3)) {
            assertThat(Archive.groupFiles(archive.layout().hourDir("cam2", gone.startTs()), gone.startTs())).isEmpty();
            assertThat(archive.index().segment("cam2", gone.startTs())).isEmpty();
        }
        assertThat(archive.index().session("cam2", NOW - 9 * DAY)).as("ended and emptied").isEmpty();
        assertThat(Files.exists(archive.layout().sessionDir("cam2", NOW - 9 * DAY))).isFalse();
        assertThat(Files.exists(archive.layout().hourDir("cam2", NOW - 9 * DAY).getParent())).as("empty day folder").isFalse();
        assertKept(closed.subList(3, 5));
        assertOpenSegmentKept();
    }

    @Test
    void bySizeTheOldestGoUntilTheArchiveFits() throws IOException {
        long total = ArchiveGroups.scan(archive.layout()).totalBytes();
        long oneGroup = groupBytes(closed.get(0));
        RetentionSweeper sweeper = new RetentionSweeper(archive, new DiskSpace(root, 1), Duration.ofDays(365),
                total - oneGroup - 1);

        assertThat(sweeper.sweep(NOW)).as("the oldest and the one after it").isEqualTo(2);

        assertThat(archive.index().segment("cam2", closed.get(0).startTs())).isEmpty();
        assertThat(archive.index().segment("cam2", closed.get(1).startTs())).isEmpty();
        assertKept(closed.subList(2, 5));
        assertOpenSegmentKept();
        Session old = archive.index().session("cam2", NOW - 9 * DAY).orElseThrow();
        assertThat(old.segments()).extracting(SegmentInfo::startTs).containsExactly(closed.get(2).startTs());
        assertThat(old.frames()).extracting(f -> f.segmentStart()).containsExactly(closed.get(2).startTs());
        assertThat(ArchiveGroups.scan(archive.layout()).totalBytes()).isLessThanOrEqualTo(total - oneGroup - 1);
    }

    @Test
    void underTheFreeSpaceMinimumTheOldestGoUntilItIsBack() throws IOException {
        long total = ArchiveGroups.scan(archive.layout()).totalBytes();
        long free = 10_000;
        DiskSpace disk = new DiskSpace(() -> total + free - ArchiveGroups.scan(archive.layout()).totalBytes(),
                free + groupBytes(closed.get(0)) + groupBytes(closed.get(1)) / 2);
        RetentionSweeper emergency = new RetentionSweeper(archive, disk, Duration.ofDays(365), Long.MAX_VALUE);

        assertThat(emergency.ensureFreeSpace()).as("the oldest and the one after it").isEqualTo(2);

        assertKept(closed.subList(2, 5));
        assertOpenSegmentKept();
        assertThat(disk.recordingAllowed()).isTrue();
    }

    @Test
    void whenDeletingEveryClosedGroupWouldNotBeEnoughNothingGoesAndRecordingPausesUntilSpaceIsBack() throws IOException {
        long total = ArchiveGroups.scan(archive.layout()).totalBytes();
        AtomicLong capacity = new AtomicLong(total); // something else filled the rest of the disk
        DiskSpace disk = new DiskSpace(() -> capacity.get() - ArchiveGroups.scan(archive.layout()).totalBytes(), total + 1);
        RetentionSweeper emergency = new RetentionSweeper(archive, disk, Duration.ofDays(365), Long.MAX_VALUE);

        assertThat(emergency.ensureFreeSpace()).isZero();

        assertKept(closed);
        assertOpenSegmentKept();
        assertThat(disk.recordingAllowed()).isFalse();
        assertThat(disk.pausedBecause()).hasValueSatisfying(why -> assertThat(why).contains("under the minimum"));

        capacity.addAndGet(2 * total);
        assertThat(emergency.ensureFreeSpace()).isZero();
        assertThat(disk.recordingAllowed()).isTrue();
        assertThat(disk.pausedBecause()).isEmpty();
    }

    private SegmentInfo segment(Session session, long start) throws IOException {
        Path partial = archive.openSegment(session, start);
        Files.copy(sample, partial);
        archive.saveSnapshot(session, start, 1, start + 10, new byte[500]);
        Path results = archive.layout().results(session.streamId(), start, "processed_frames");
        Files.writeString(results, "{\"stream_id\":\"" + session.streamId() + "\",\"capture_ts\":" + (start + 40) + "}\n");
        return archive.closeSegment(session, start, start + SEGMENT_MS, 25, SegmentInfo.LENGTH);
    }

    private long groupBytes(SegmentInfo segment) throws IOException {
        long bytes = 0;
        for (Path file : Archive.groupFiles(archive.layout().hourDir(segment.streamId(), segment.startTs()), segment.startTs())) {
            bytes += Files.size(file);
        }
        return bytes;
    }

    private void assertKept(List<SegmentInfo> segments) throws IOException {
        for (SegmentInfo kept : segments) {
            assertThat(archive.index().segment("cam2", kept.startTs())).isPresent();
            assertThat(Archive.groupFiles(archive.layout().hourDir("cam2", kept.startTs()), kept.startTs()))
                    .as("video, snapshot and results of %d", kept.startTs()).hasSize(3);
        }
    }

    private void assertOpenSegmentKept() throws IOException {
        assertThat(archive.index().segment("cam", open.startTs())).contains(open);
        assertThat(Files.exists(archive.layout().partialSegment("cam", open.startTs()))).isTrue();
        assertThat(Archive.groupFiles(archive.layout().hourDir("cam", open.startTs()), open.startTs())).hasSize(2);
    }
}
