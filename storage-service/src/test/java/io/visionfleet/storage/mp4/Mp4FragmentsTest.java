package io.visionfleet.storage.mp4;

import io.visionfleet.common.testing.Ffprobe;
import io.visionfleet.storage.support.FragmentedSamples;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;

import static io.visionfleet.storage.support.FragmentedSamples.FRAGMENT_FRAMES;
import static org.assertj.core.api.Assertions.assertThat;

/** The box walk that decides how much of a crashed segment to keep, checked against what ffprobe decodes. */
@Tag("integration")
class Mp4FragmentsTest {
    @TempDir
    Path dir;

    @Test
    void aClosedFileIsPlayableToItsEnd() throws Exception {
        Path file = FragmentedSamples.closed(dir.resolve("closed.mp4"), 4 * FRAGMENT_FRAMES);
        Mp4Fragments.Extent extent = scan(file);
        assertThat(extent.playable()).isTrue();
        assertThat(extent.fragments()).isEqualTo(4);
        assertThat(extent.playableBytes()).isEqualTo(Files.size(file));
    }

    @Test
    void whatAKillLeavesOnDiskHoldsEveryCompleteFragmentAndPlays() throws Exception {
        Path crashed = FragmentedSamples.crashedAfter(dir.resolve("open.mp4"), 2 * FRAGMENT_FRAMES + 10, dir.resolve("crashed.mp4"));
        Mp4Fragments.Extent extent = scan(crashed);
        assertThat(extent.fragments()).as("the fragment being filled is still in memory").isEqualTo(2);
        assertThat(extent.playableBytes()).isEqualTo(Files.size(crashed));
        Ffprobe.Probe probe = Ffprobe.probe(crashed);
        assertThat(probe.errors()).isEmpty();
        assertThat(probe.decodedFrames()).isEqualTo(2 * FRAGMENT_FRAMES);
    }

    @Test
    void aFragmentCutShortIsDroppedAndTheRestPlays() throws Exception {
        Path file = FragmentedSamples.closed(dir.resolve("closed.mp4"), 4 * FRAGMENT_FRAMES);
        long full = Files.size(file);
        long afterTwo = boundaryAfter(file, 2);
        for (long cut : new long[]{afterTwo + 4, afterTwo + 20, (afterTwo + boundaryAfter(file, 3)) / 2}) {
            Path truncated = dir.resolve("cut-" + cut + ".mp4");
            Files.write(truncated, Arrays.copyOf(Files.readAllBytes(file), (int) cut));
            Mp4Fragments.Extent extent = scan(truncated);
            assertThat(extent.playableBytes()).as("cut at %d of %d", cut, full).isEqualTo(afterTwo);
            try (FileChannel channel = FileChannel.open(truncated, StandardOpenOption.WRITE)) {
                channel.truncate(extent.playableBytes());
            }
            Ffprobe.Probe probe = Ffprobe.probe(truncated);
            assertThat(probe.errors()).isEmpty();
            assertThat(probe.decodedFrames()).isEqualTo(2 * FRAGMENT_FRAMES);
        }
    }

    @Test
    void filesWithoutHeaderOrFragmentAreNotPlayable() throws Exception {
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        Path garbage = Files.write(dir.resolve("noise.mp4"), noise);
        assertThat(scan(garbage).playable()).isFalse();

        Path file = FragmentedSamples.closed(dir.resolve("closed.mp4"), FRAGMENT_FRAMES);
        Path headerOnly = dir.resolve("header.mp4");
        Files.write(headerOnly, Arrays.copyOf(Files.readAllBytes(file), (int) boundaryAfter(file, 0)));
        Mp4Fragments.Extent extent = scan(headerOnly);
        assertThat(extent.hasHeader()).isTrue();
        assertThat(extent.playable()).as("a header without a picture").isFalse();

        Path empty = Files.write(dir.resolve("empty.mp4"), new byte[0]);
        assertThat(scan(empty).playable()).isFalse();
    }

    @Test
    void hostileBoxSizesEndTheWalkInsteadOfLoopingOrOverrunning() throws Exception {
        Path file = FragmentedSamples.closed(dir.resolve("closed.mp4"), 2 * FRAGMENT_FRAMES);
        long afterOne = boundaryAfter(file, 1);
        byte[] bytes = Files.readAllBytes(file);
        for (int hostileSize : new int[]{0, 3, 7, Integer.MAX_VALUE}) {
            byte[] copy = bytes.clone();
            ByteBuffer.wrap(copy).putInt((int) afterOne, hostileSize); // the size of the second moof
            Path broken = Files.write(dir.resolve("size-" + hostileSize + ".mp4"), copy);
            assertThat(scan(broken).playableBytes()).as("moof size %d", hostileSize).isEqualTo(afterOne);
        }
    }

    /** File offset right after the header (n = 0) or after the n-th complete fragment. */
    private static long boundaryAfter(Path file, int n) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long position = 0;
        int fragments = -1;
        while (position < bytes.length) {
            long size = Integer.toUnsignedLong(buffer.getInt((int) position));
            String type = new String(bytes, (int) position + 4, 4);
            position += size;
            if (type.equals("moov") || type.equals("mdat")) {
                fragments++;
                if (fragments == n) {
                    return position;
                }
            }
        }
        throw new IllegalArgumentException(file + " has fewer than " + n + " fragments");
    }

    private static Mp4Fragments.Extent scan(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return Mp4Fragments.scan(channel);
        }
    }
}
