package io.visionfleet.storage.retention;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Free space of the archive's file system, and whether recording may go on. Recording pauses (segments close at
 * their next key frame, none open) while free space stays under the minimum after the emergency clean-up, and
 * resumes once it is back.
 */
public final class DiskSpace {
    /** Looked up once: finding a path's file store reads the mount table. */
    private final FileStore store;
    private final long minFreeBytes;
    private volatile boolean low;

    /** @param root an existing directory on the file system to watch */
    public DiskSpace(Path root, long minFreeBytes) {
        try {
            this.store = Files.getFileStore(root);
        } catch (IOException e) {
            throw new UncheckedIOException("no file system for " + root, e);
        }
        this.minFreeBytes = minFreeBytes;
    }

    /** Bytes a new file may use now. */
    public long usable() throws IOException {
        return store.getUsableSpace();
    }

    public long minFreeBytes() {
        return minFreeBytes;
    }

    public boolean recordingAllowed() {
        return !low;
    }

    void low(boolean low) {
        this.low = low;
    }
}
