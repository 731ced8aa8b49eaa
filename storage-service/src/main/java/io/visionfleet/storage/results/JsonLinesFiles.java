package io.visionfleet.storage.results;

import io.visionfleet.storage.archive.Durable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Appends lines to JSON Lines files and forces them to disk in batches: {@link #append} only writes (page cache),
 * {@link #forceAll} forces every file written since the last call ({@code FileChannel.force(false)}, i.e.
 * {@code fdatasync}) and the directories of new files. Keeps the most recently used files open, up to
 * {@link #MAX_OPEN}. Not thread-safe: the results archive serialises calls.
 */
final class JsonLinesFiles implements AutoCloseable {
    static final int MAX_OPEN = 64;

    private final Map<Path, FileChannel> open = new LinkedHashMap<>(16, 0.75f, true);
    private final Set<FileChannel> dirty = new HashSet<>();
    private final Set<Path> newDirectories = new HashSet<>();

    void append(Path file, byte[] line) throws IOException {
        FileChannel channel = open.get(file);
        if (channel != null && !Files.exists(file)) {
            // retention deleted it (results arriving late for an old segment): start a new file, not a lost inode
            open.remove(file);
            closeForced(channel);
            channel = null;
        }
        if (channel == null) {
            channel = openFile(file);
        }
        ByteBuffer buffer = ByteBuffer.wrap(line);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        dirty.add(channel);
    }

    /** Forces everything appended since the last call to disk. */
    void forceAll() throws IOException {
        for (FileChannel channel : dirty) {
            channel.force(false);
        }
        dirty.clear();
        for (Path dir : newDirectories) {
            Durable.forceDirectory(dir);
        }
        newDirectories.clear();
    }

    @Override
    public void close() throws IOException {
        forceAll();
        for (FileChannel channel : open.values()) {
            channel.close();
        }
        open.clear();
    }

    private FileChannel openFile(Path file) throws IOException {
        if (open.size() >= MAX_OPEN) {
            Iterator<Map.Entry<Path, FileChannel>> eldest = open.entrySet().iterator();
            FileChannel evicted = eldest.next().getValue();
            eldest.remove();
            closeForced(evicted);
        }
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            newDirectories.add(file.getParent());
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        open.put(file, channel);
        return channel;
    }

    private void closeForced(FileChannel channel) throws IOException {
        if (dirty.remove(channel)) {
            channel.force(false);
        }
        channel.close();
    }
}
