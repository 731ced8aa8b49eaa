package io.visionfleet.storage.record;

import io.visionfleet.common.consumer.FrameMeta;
import io.visionfleet.common.consumer.StreamSession;
import io.visionfleet.storage.archive.Archive;
import io.visionfleet.storage.archive.Gap;
import io.visionfleet.storage.archive.SegmentInfo;
import io.visionfleet.storage.archive.Session;
import io.visionfleet.storage.mp4.KeyFrameJpeg;
import io.visionfleet.storage.retention.DiskSpace;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Path;

import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;

/**
 * Records one stream: the state machine between RTSP sessions, sessions of the archive and segments.
 * <pre>
 * WAITING --key frame--> RECORDING --key frame after segment length--> RECORDING (next segment, no gap)
 *    ^                      |  stream lost / relay restart / timestamp jump / disk low / write failure
 *    +----------------------+  (segment closed, gap from its end to the next segment recorded)
 * STOPPED: closed (unfollowed or shut down); the segment is closed and the session ended.
 * </pre>
 * A new segment always starts at a key frame. A stream back after more than the session gap starts a new
 * session. It is the stream's consumer session, so it lives as long as one stream worker: a quick unfollow and
 * follow gets a new recorder while the old one winds down. The consumer serialises its calls.
 */
public final class StreamRecorder implements StreamSession {
    private static final Logger LOG = Logger.getLogger(StreamRecorder.class);

    private final String streamId;
    private final Archive archive;
    private final RecorderSettings settings;
    private final DiskSpace disk;
    private final LatestSnapshots snapshots;
    /** The connected RTSP session's video parameters, null while disconnected. */
    private AVCodecParameters codec;
    private AVRational timeBase;
    private KeyFrameJpeg jpeg;
    private Session session;
    private OpenSegment segment;
    private long lastEndTs = Long.MIN_VALUE;
    private String gapReason;
    private long lastSnapshotTs = Long.MIN_VALUE / 4; // far enough back that the first key frame is due, without overflow
    private long intervalMs;
    private long skippedBeforeKeyFrame;
    private long snapshotFailures;
    private boolean stopped;

    StreamRecorder(String streamId, Archive archive, RecorderSettings settings, DiskSpace disk,
                   LatestSnapshots snapshots) {
        this.streamId = streamId;
        this.archive = archive;
        this.settings = settings;
        this.disk = disk;
        this.snapshots = snapshots;
    }

    /** An RTSP session opened: its video codec parameters stay valid until {@link #disconnected}. */
    public synchronized void connected(AVFormatContext format) {
        if (stopped) {
            return;
        }
        for (int i = 0; i < format.nb_streams(); i++) {
            if (format.streams(i).codecpar().codec_type() == AVMEDIA_TYPE_VIDEO) {
                codec = format.streams(i).codecpar();
                timeBase = format.streams(i).time_base();
                return;
            }
        }
    }

    public synchronized void packet(FrameMeta meta, AVPacket packet) throws IOException {
        if (stopped || codec == null) {
            return;
        }
        if (segment != null && !segment.continues(meta, packet)) {
            LOG.warnf("stream %s: capture time jumps from %d to %d; closing the segment", streamId,
                    segment.endTs(), meta.captureTs());
            close(segment.endTs(), SegmentInfo.TIMESTAMP_JUMP);
        }
        if (segment != null && meta.keyFrame()) {
            if (!disk.recordingAllowed()) {
                LOG.errorf("stream %s: free disk space below the minimum; recording paused", streamId);
                close(meta.captureTs(), SegmentInfo.DISK_LOW);
            } else if (meta.captureTs() - segment.startTs() >= settings.segmentLength().toMillis()) {
                close(meta.captureTs(), SegmentInfo.LENGTH);
            }
        }
        if (segment == null) {
            if (!meta.keyFrame() || !disk.recordingAllowed()) {
                skippedBeforeKeyFrame++;
                return;
            }
            open(meta);
        }
        snapshotIfDue(meta, packet);
        try {
            segment.write(meta, packet);
        } catch (IOException e) {
            LOG.errorf("stream %s: writing segment %d failed (%s); keeping what was written", streamId,
                    segment.startTs(), e.getMessage());
            salvage(diskFull() ? SegmentInfo.DISK_FULL : SegmentInfo.WRITE_FAILED);
        }
    }

    /** The RTSP session ended; {@code stopping} when the stream is no longer followed. */
    public synchronized void disconnected(boolean stopping) {
        if (segment != null) {
            close(segment.endTs(), stopping ? SegmentInfo.STOPPED : SegmentInfo.STREAM_LOST);
        }
        releaseSessionResources();
    }

    /** The stream is no longer followed (or the service stops): close the segment, end the session. */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (segment != null) {
            close(segment.endTs(), SegmentInfo.STOPPED);
        }
        if (session != null) {
            archive.endSession(session, session.lastEndTs(), Session.STOPPED);
            session = null;
        }
        releaseSessionResources(); // packet() returns early from now on, so nothing uses them any more
        if (skippedBeforeKeyFrame > 0) {
            LOG.debugf("stream %s: %d packets skipped while waiting for a key frame", streamId, skippedBeforeKeyFrame);
        }
    }

    private void open(FrameMeta meta) throws IOException {
        long start = meta.captureTs();
        if (session != null && lastEndTs != Long.MIN_VALUE && start - lastEndTs > settings.sessionGap().toMillis()) {
            archive.endSession(session, lastEndTs, Session.STREAM_LOST);
            session = null;
        }
        if (session == null) {
            session = archive.startSession(streamId, start);
            LOG.infof("stream %s: session %s started", streamId, session.id());
        } else if (gapReason != null && lastEndTs != Long.MIN_VALUE && start > lastEndTs) {
            archive.addGap(session, new Gap(lastEndTs, start, gapReason));
        }
        gapReason = null;
        Path file = archive.openSegment(session, start);
        try {
            segment = OpenSegment.open(file, codec, timeBase, settings.fragmentDuration(), settings.fsyncInterval(),
                    start, intervalMs);
        } catch (IOException | RuntimeException e) {
            archive.discardSegment(session, start);
            throw e;
        }
    }

    /** Closes the segment at capture time {@code endTs}; anything but a length roll-over leaves a gap. */
    private void close(long endTs, String reason) {
        OpenSegment closing = segment;
        segment = null;
        intervalMs = closing.intervalMs();
        try {
            closing.close();
            if (closing.frames() == 0) {
                archive.discardSegment(session, closing.startTs());
                return;
            }
            if (diskFull()) {
                // on a full file system FFmpeg can report a last fragment written that only partly reached the file;
                // a roll-over that cannot go on into a new segment ends recording because of the disk
                salvageClosed(closing.startTs(), SegmentInfo.LENGTH.equals(reason) ? SegmentInfo.DISK_FULL : reason);
                return;
            }
            SegmentInfo closed = archive.closeSegment(session, closing.startTs(), endTs, closing.frames(), reason);
            lastEndTs = closed.endTs();
            gapReason = SegmentInfo.LENGTH.equals(reason) ? null : reason;
            LOG.debugf("stream %s: closed %s (%d frames, %d ms, %s)", streamId, closed.path(), closed.frames(),
                    closed.endTs() - closed.startTs(), reason);
        } catch (IOException | RuntimeException e) {
            LOG.errorf("stream %s: closing segment %d failed (%s); keeping what was written", streamId,
                    closing.startTs(), e.getMessage());
            salvageClosed(closing.startTs(), diskFull() ? SegmentInfo.DISK_FULL : reason);
        }
    }

    /**
     * After a failed write: measures free space at once, so a disk that filled up since the last free-space check
     * pauses recording now (no new segment opens until space is back) instead of failing again at every key frame.
     */
    private boolean diskFull() {
        try {
            return !disk.check();
        } catch (IOException e) {
            LOG.warnf("stream %s: free space unknown: %s", streamId, e.getMessage());
            return false;
        }
    }

    /** A write failed mid-segment: keep its complete fragments and wait for the next key frame. */
    private void salvage(String reason) {
        OpenSegment failed = segment;
        segment = null;
        try {
            failed.close();
        } catch (IOException | RuntimeException e) {
            LOG.debugf("stream %s: closing the failed segment: %s", streamId, e.getMessage());
        }
        salvageClosed(failed.startTs(), reason);
    }

    private void salvageClosed(long start, String reason) {
        try {
            archive.salvageSegment(session, start, reason).ifPresent(s -> lastEndTs = s.endTs());
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "stream %s: segment %d could not be salvaged", streamId, start);
        }
        gapReason = reason;
    }

    private void snapshotIfDue(FrameMeta meta, AVPacket packet) {
        long interval = settings.snapshotInterval().toMillis();
        if (interval == 0 || !meta.keyFrame() || meta.captureTs() - lastSnapshotTs < interval) {
            return;
        }
        lastSnapshotTs = meta.captureTs();
        try {
            if (jpeg == null) {
                jpeg = new KeyFrameJpeg(codec, settings.snapshotQuantizer());
            }
            byte[] bytes = jpeg.encode(packet);
            archive.saveSnapshot(session, segment.startTs(), meta.frameNumber(), meta.captureTs(), bytes);
            snapshots.put(streamId, meta.captureTs(), bytes);
        } catch (IOException | RuntimeException e) {
            // a snapshot is a by-product: the recording goes on without it
            if (snapshotFailures++ % 100 == 0) {
                LOG.errorf("stream %s: snapshot failed (%d so far): %s", streamId, snapshotFailures, e.getMessage());
            }
        }
    }

    private void releaseSessionResources() {
        if (jpeg != null) {
            jpeg.close();
            jpeg = null;
        }
        codec = null;
        timeBase = null;
    }
}
