package io.visionfleet.storage.retention;

import io.visionfleet.storage.archive.Archive;
import io.visionfleet.storage.archive.SegmentInfo;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Deletes the oldest archive groups (a segment with its snapshots and results, or an hour of results outside
 * segments): those older than the maximum age, then the oldest until the archive fits its maximum size, and, in
 * an emergency, the oldest until the disk has its minimum free space again. A segment being written, with its
 * group, is never deleted. Not thread-safe: {@link RetentionScheduler} makes one call at a time.
 */
public final class RetentionSweeper {
    private static final Logger LOG = Logger.getLogger(RetentionSweeper.class);
    private static final long HOUR_MS = 3_600_000L;

    private final Archive archive;
    private final DiskSpace disk;
    private final Duration maxAge;
    private final long maxBytes;

    public RetentionSweeper(Archive archive, DiskSpace disk, Duration maxAge, long maxBytes) {
        this.archive = archive;
        this.disk = disk;
        this.maxAge = maxAge;
        this.maxBytes = maxBytes;
    }

    /** Age and size retention at wall-clock time {@code nowMs}; returns the number of groups deleted. */
    public int sweep(long nowMs) throws IOException {
        ArchiveGroups.Usage usage = ArchiveGroups.scan(archive.layout());
        long total = usage.totalBytes();
        long oldestKept = nowMs - maxAge.toMillis();
        int deleted = 0;
        for (ArchiveGroups.Group group : usage.groups()) {
            boolean tooOld = endOf(group) < oldestKept;
            boolean tooBig = total > maxBytes;
            if (!tooOld && !tooBig) {
                break; // groups are oldest first: the rest are younger and fit
            }
            if (deletable(group)) {
                total -= delete(group, tooOld ? "older than " + maxAge : "archive over " + maxBytes + " bytes");
                deleted++;
            }
        }
        return deleted;
    }

    /**
     * Emergency clean-up: while free space is under the minimum, deletes the oldest groups. When deleting every
     * closed group would still leave it under the minimum (something else filled the disk), nothing is deleted:
     * that would lose the archive without bringing recording back. Recording pauses while free space stays
     * under the minimum and resumes once it is back.
     */
    public int ensureFreeSpace() throws IOException {
        boolean wasAllowed = disk.recordingAllowed();
        long usable = disk.usable();
        int deleted = 0;
        if (usable < disk.minFreeBytes()) {
            List<ArchiveGroups.Group> closed = ArchiveGroups.scan(archive.layout()).groups().stream().filter(this::deletable).toList();
            long reclaimable = closed.stream().mapToLong(ArchiveGroups.Group::bytes).sum();
            if (usable + reclaimable < disk.minFreeBytes()) {
                LOG.warnf("only %d bytes free under %s (minimum %d), and deleting every closed recording would free only %d: "
                        + "keeping them", usable, archive.layout().root(), disk.minFreeBytes(), reclaimable);
            } else {
                LOG.warnf("only %d bytes free under %s (minimum %d): deleting the oldest recordings", usable,
                        archive.layout().root(), disk.minFreeBytes());
                for (ArchiveGroups.Group group : closed) {
                    if (disk.usable() >= disk.minFreeBytes()) {
                        break;
                    }
                    delete(group, "free disk space under the minimum");
                    deleted++;
                }
            }
        }
        boolean allowed = disk.check();
        if (allowed != wasAllowed) {
            if (allowed) {
                LOG.info("free disk space is back over the minimum: recording resumes");
            } else {
                LOG.errorf("%s", disk.pausedBecause().orElseThrow());
            }
        }
        return deleted;
    }

    private boolean deletable(ArchiveGroups.Group group) {
        Optional<SegmentInfo> segment = archive.index().segment(group.streamId(), group.key());
        return !group.partial() && segment.map(s -> !s.open()).orElse(true);
    }

    /** When a group's content ends: its segment's end, or the end of the hour for results outside segments. */
    private long endOf(ArchiveGroups.Group group) {
        return archive.index().segment(group.streamId(), group.key()).map(SegmentInfo::endTs)
                .orElse(group.key() + HOUR_MS);
    }

    private long delete(ArchiveGroups.Group group, String why) throws IOException {
        long freed = archive.deleteGroup(group.streamId(), group.key());
        LOG.infof("retention: deleted %s/%d (%d bytes): %s", group.streamId(), group.key(), freed, why);
        return freed;
    }
}
