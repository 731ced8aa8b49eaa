package io.visionfleet.storage.record;

import io.visionfleet.common.consumer.FrameMeta;
import io.visionfleet.storage.mp4.Mp4Writer;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVRational;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

/**
 * The segment being written: packets of one RTSP session, from a key frame on, remuxed into a fragmented MP4.
 *
 * <p>Timing: the segment starts at the capture time of its first packet ({@code startTs}, its name). Inside it,
 * packets keep the source's own timeline (RTP time, shifted so the segment starts at 0): the relay's RTCP sender
 * reports tie that timeline to capture time ({@code capture_ts = anchor + pts}), so MP4 time and capture time
 * advance together and B-frame reordering survives. A packet without a timestamp (FFmpeg's RTSP demuxer hands
 * out the first packet of a session without one) is placed by its capture time. A packet whose capture time does
 * not follow on (going backwards, or a jump beyond {@link #MAX_STEP_MS}) ends the segment instead of corrupting
 * it.
 */
final class OpenSegment implements AutoCloseable {
    /** A larger step between consecutive pictures is a broken timeline, not a frame interval. */
    static final long MAX_STEP_MS = 5_000;
    private static final long UNKNOWN = Long.MIN_VALUE;

    private final long startTs;
    private final Mp4Writer writer;
    private final FileChannel syncChannel;
    private final long syncIntervalNanos;
    private final int timeBaseNum;
    private final int timeBaseDen;
    /** Source decode time of the segment's start; unknown until a packet with a timestamp arrives. */
    private long baseDts = UNKNOWN;
    private long lastSourceDts = UNKNOWN;
    private long lastDts;
    private long lastCaptureTs;
    private long intervalMs;
    private long frames;
    private long lastSyncNanos = System.nanoTime();

    private OpenSegment(long startTs, Mp4Writer writer, FileChannel syncChannel, Duration syncInterval,
                        AVRational timeBase, long intervalMs) {
        this.startTs = startTs;
        this.writer = writer;
        this.syncChannel = syncChannel;
        this.syncIntervalNanos = syncInterval.toNanos();
        this.timeBaseNum = timeBase.num();
        this.timeBaseDen = timeBase.den();
        this.lastCaptureTs = startTs;
        this.intervalMs = intervalMs;
    }

    /**
     * Opens {@code file} for a segment starting at capture time {@code startTs}.
     *
     * @param intervalMs the stream's frame interval as seen so far, for the duration of a lone last picture
     */
    static OpenSegment open(Path file, AVCodecParameters codec, AVRational timeBase, Duration fragmentDuration,
                            Duration syncInterval, long startTs, long intervalMs) throws IOException {
        Mp4Writer writer = Mp4Writer.fragmented(file, codec, timeBase, fragmentDuration);
        try {
            FileChannel sync = FileChannel.open(file, StandardOpenOption.WRITE);
            return new OpenSegment(startTs, writer, sync, syncInterval, timeBase, intervalMs);
        } catch (IOException | RuntimeException e) {
            writer.close();
            throw e;
        }
    }

    long startTs() {
        return startTs;
    }

    long frames() {
        return frames;
    }

    /** Capture time where the next picture would start: the last one's plus a frame interval. */
    long endTs() {
        return frames == 0 ? startTs : lastCaptureTs + intervalMs;
    }

    long intervalMs() {
        return intervalMs;
    }

    /** False when {@code packet} cannot follow the last one on this segment's timeline. */
    boolean continues(FrameMeta meta, AVPacket packet) {
        if (frames == 0) {
            return true;
        }
        long step = meta.captureTs() - lastCaptureTs;
        long dts = sourceDts(packet);
        boolean decodeTimeAdvances = dts == AV_NOPTS_VALUE || lastSourceDts == UNKNOWN || dts > lastSourceDts;
        return decodeTimeAdvances && step >= 0 && step <= MAX_STEP_MS;
    }

    /** Appends a packet (read {@code meta} first: the packet's timestamps are rewritten in place). */
    void write(FrameMeta meta, AVPacket packet) throws IOException {
        long sourceDts = sourceDts(packet);
        long dts;
        if (sourceDts == AV_NOPTS_VALUE) {
            dts = frames == 0 ? 0 : lastDts + Math.max(1, ticks(meta.captureTs() - lastCaptureTs));
        } else {
            if (baseDts == UNKNOWN) {
                baseDts = sourceDts - ticks(meta.captureTs() - startTs);
            }
            dts = sourceDts - baseDts;
            lastSourceDts = sourceDts;
        }
        long pts = packet.pts() != AV_NOPTS_VALUE && baseDts != UNKNOWN ? packet.pts() - baseDts : dts;
        long duration = frames == 0 ? ticks(intervalMs) : dts - lastDts;
        if (frames > 0) {
            intervalMs = meta.captureTs() - lastCaptureTs;
        }
        lastDts = dts;
        lastCaptureTs = meta.captureTs();
        packet.dts(dts);
        packet.pts(pts);
        // the muxer gives the last picture of a fragment this duration; the previous interval is the best guess
        packet.duration(duration);
        writer.write(packet);
        frames++;
        long now = System.nanoTime();
        if (syncIntervalNanos > 0 && now - lastSyncNanos >= syncIntervalNanos) {
            syncChannel.force(false);
            lastSyncNanos = now;
        }
    }

    /** Writes the trailer and releases the file; the caller renames it. */
    @Override
    public void close() throws IOException {
        try {
            writer.close();
        } finally {
            syncChannel.close();
        }
    }

    /** Milliseconds in the stream's time base. */
    private long ticks(long ms) {
        return ms * timeBaseDen / (1000L * timeBaseNum);
    }

    private static long sourceDts(AVPacket packet) {
        return packet.dts() != AV_NOPTS_VALUE ? packet.dts() : packet.pts();
    }
}
