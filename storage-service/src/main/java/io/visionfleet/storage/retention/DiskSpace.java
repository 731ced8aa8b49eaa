package io.visionfleet.storage.retention;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Free space of the archive's file system, and whether recording may go on. Recording pauses (segments close at
 * their next key frame, none open) while free space stays under the minimum after the emergency clean-up, and
 * resumes once it is back.
 */
public final class DiskSpace {
    private final Path root;
    private final long minFreeBytes;
    private volatile boolean low;

    public DiskSpace(Path root, long minFreeBytes) {
        this.root = root;
        this.minFreeBytes = minFreeBytes;
    }

    /** Bytes a new file may use now. */
    public long usable() throws IOException {
        return Files.getFileStore(root).getUsableSpace();
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
