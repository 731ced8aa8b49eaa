package io.visionfleet.storage.results;

import io.visionfleet.storage.archive.Durable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
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
 *
 * <p>A file never keeps part of a line: an append that fails (a full disk fails a write part-way) is cut back to
 * where it started, and a file found ending in a partial line (cut by a crash, or a cut-back that failed too) is
 * ended with a newline before the next line goes in, so the next line is never glued to a fragment.
 */
final class JsonLinesFiles implements AutoCloseable {
    static final int MAX_OPEN = 64;

    private final Map<Path, FileChannel> open = new LinkedHashMap<>(16, 0.75f, true);
    private final Set<FileChannel> dirty = new HashSet<>();
    private final Set<Path> newDirectories = new HashSet<>();
    /** Files whose failed append could not be cut back yet: the size to cut them to. */
    private final Map<FileChannel, Long> uncut = new HashMap<>();

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
        Long cut = uncut.get(channel);
        if (cut != null) {
            channel.truncate(cut);
            uncut.remove(channel);
        }
        long start = channel.size();
        dirty.add(channel);
        ByteBuffer buffer = ByteBuffer.wrap(line);
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            cutBack(channel, start, e);
            throw e;
        }
    }

    /** Removes what a failed append wrote; if even that fails, the next append to the file tries again first. */
    private void cutBack(FileChannel channel, long size, IOException cause) {
        try {
            if (channel.size() > size) {
                channel.truncate(size);
            }
            uncut.remove(channel);
        } catch (IOException e) {
            cause.addSuppressed(e);
            uncut.put(channel, size);
        }
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
        boolean partialLine = endsInPartialLine(file);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        if (partialLine) {
            try {
                ByteBuffer newline = ByteBuffer.wrap(new byte[] {'\n'});
                while (newline.hasRemaining()) {
                    channel.write(newline);
                }
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            dirty.add(channel);
        }
        open.put(file, channel);
        return channel;
    }

    /** True when {@code file} exists and its last line has no newline: what is appended next needs one first. */
    private static boolean endsInPartialLine(Path file) throws IOException {
        if (!Files.exists(file)) {
            return false;
        }
        try (FileChannel read = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = read.size();
            ByteBuffer last = ByteBuffer.allocate(1);
            return size > 0 && read.read(last, size - 1) == 1 && last.get(0) != '\n';
        }
    }

    private void closeForced(FileChannel channel) throws IOException {
        uncut.remove(channel); // a partial line left behind is ended when the file is opened again
        if (dirty.remove(channel)) {
            channel.force(false);
        }
        channel.close();
    }
}
