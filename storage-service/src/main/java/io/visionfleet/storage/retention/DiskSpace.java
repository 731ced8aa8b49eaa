package io.visionfleet.storage.retention;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Free space of the archive's file system, and whether recording may go on. Recording pauses (segments close at
 * their next key frame, none open) while free space stays under the minimum after the emergency clean-up, and
 * resumes once it is back. A recorder whose write fails measures at once ({@link #check}), so a disk that filled
 * up between two free-space checks pauses recording at the first failure instead of at the next check.
 */
public final class DiskSpace {
    /** Bytes a new file may use now, on some file system. */
    @FunctionalInterface
    public interface Usable {
        long bytes() throws IOException;
    }

    private final Usable usable;
    private final long minFreeBytes;
    /** Why recording is paused, null while it may go on. */
    private volatile String pausedBecause;

    /** @param root an existing directory on the file system to watch */
    public DiskSpace(Path root, long minFreeBytes) {
        this(storeOf(root)::getUsableSpace, minFreeBytes);
    }

    public DiskSpace(Usable usable, long minFreeBytes) {
        this.usable = usable;
        this.minFreeBytes = minFreeBytes;
    }

    /** Bytes a new file may use now. */
    public long usable() throws IOException {
        return usable.bytes();
    }

    public long minFreeBytes() {
        return minFreeBytes;
    }

    public boolean recordingAllowed() {
        return pausedBecause == null;
    }

    /** Why recording is paused (for readiness and logs); empty while it may go on. */
    public Optional<String> pausedBecause() {
        return Optional.ofNullable(pausedBecause);
    }

    /** Measures free space now and pauses or resumes recording by it; returns whether recording may go on. */
    public boolean check() throws IOException {
        long free = usable();
        pausedBecause = free < minFreeBytes
                ? "free disk space " + free + " bytes, under the minimum " + minFreeBytes + ": recording paused"
                : null;
        return pausedBecause == null;
    }

    /** Looked up once: finding a path's file store reads the mount table. */
    private static FileStore storeOf(Path root) {
        try {
            return Files.getFileStore(root);
        } catch (IOException e) {
            throw new UncheckedIOException("no file system for " + root, e);
        }
    }
}
