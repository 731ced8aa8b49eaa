package io.visionfleet.storage.support;

import io.visionfleet.storage.mp4.Mp4Writer;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.javacv.FFmpegFrameGrabber;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;

/**
 * Fragmented MP4 files written by storage's own {@link Mp4Writer} from the packets of {@link TestClips#clip()}
 * or another of the test clips (25 fps, a key frame every second, so one fragment per second), and snapshots of such a file taken while it
 * is still being written: exactly what a kill -9 leaves on disk.
 */
public final class FragmentedSamples {
    /** Frames per fragment: one GOP. */
    public static final int FRAGMENT_FRAMES = TestClips.GOP;

    private FragmentedSamples() {
    }

    /** Writes the first {@code frames} pictures of the clip to {@code out} and closes it. */
    public static Path closed(Path out, int frames) throws IOException {
        return write(TestClips.clip(), out, frames, null);
    }

    /**
     * Writes {@code frames} pictures to {@code out} and, before closing it, copies what is on disk to
     * {@code crashed}: the state a crash at that moment leaves.
     */
    public static Path crashedAfter(Path out, int frames, Path crashed) throws IOException {
        return crashedAfter(TestClips.clip(), out, frames, crashed);
    }

    /** As {@link #crashedAfter(Path, int, Path)}, with the packets of {@code clip}. */
    public static Path crashedAfter(Path clip, Path out, int frames, Path crashed) throws IOException {
        write(clip, out, frames, crashed);
        return crashed;
    }

    private static Path write(Path clip, Path out, int frames, Path snapshotBeforeClose) throws IOException {
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(clip.toFile());
        grabber.startUnsafe();
        try {
            AVStream video = grabber.getFormatContext().streams(grabber.getVideoStream());
            Files.createDirectories(out.toAbsolutePath().getParent());
            try (Mp4Writer writer = Mp4Writer.fragmented(out, video.codecpar(), video.time_base(), Duration.ofSeconds(1))) {
                for (int written = 0; written < frames; ) {
                    AVPacket packet = grabber.grabPacket();
                    if (packet == null) {
                        throw new IllegalArgumentException("the clip has fewer than " + frames + " pictures");
                    }
                    try {
                        if (packet.stream_index() == grabber.getVideoStream()) {
                            writer.write(packet);
                            written++;
                        }
                    } finally {
                        av_packet_unref(packet);
                    }
                }
                if (snapshotBeforeClose != null) {
                    Files.copy(out, snapshotBeforeClose, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } finally {
            grabber.releaseUnsafe();
        }
        return out;
    }
}
