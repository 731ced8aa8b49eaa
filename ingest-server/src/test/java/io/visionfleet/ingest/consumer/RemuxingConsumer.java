package io.visionfleet.ingest.consumer;

import io.visionfleet.common.consumer.ConsumerSettings;
import io.visionfleet.common.consumer.FrameMeta;
import io.visionfleet.common.consumer.PacketConsumer;
import io.visionfleet.common.consumer.StreamSession;
import io.visionfleet.common.consumer.StreamState;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Packet mode as storage uses it: remuxes the stream, from its first key frame, into a fragmented MP4 file by handing
 * the lent packets to {@link FFmpegFrameRecorder#recordPacket}, and counts packets. With {@code keepHistory} it also
 * records the identity of every packet; a soak turns that off, and fragments keep the muxer's sample index bounded,
 * so the consumer itself holds constant memory however long it runs.
 */
final class RemuxingConsumer extends PacketConsumer<StreamSession> {
    /** One packet: what the consumer stamped on it. */
    record Seen(long frameNumber, long captureTs, boolean keyFrame, int bytes) {
    }

    private final Path file;
    private final boolean keepHistory;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private FFmpegFrameRecorder recorder;
    private volatile int recorded;
    private volatile long packets;

    RemuxingConsumer(String relayUrl, Path file, boolean keepHistory) {
        super(new ConsumerSettings(relayUrl, Duration.ofSeconds(2), 0));
        this.file = file;
        this.keepHistory = keepHistory;
    }

    @Override
    protected StreamSession openSession(StreamState stream) {
        return StreamSession.NONE;
    }

    @Override
    protected void onConnected(StreamSession session, AVFormatContext format) {
        AVStream video = format.streams(0);
        // JavaCV's remux path creates the video stream only when told its size
        recorder = new FFmpegFrameRecorder(file.toFile(), video.codecpar().width(), video.codecpar().height(), 0);
        recorder.setFormat("mp4");
        recorder.setOption("movflags", "frag_keyframe+empty_moov+default_base_moof");
        try {
            recorder.start(format);
        } catch (FrameRecorder.Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected void onPacket(StreamSession session, FrameMeta meta, AVPacket packet) throws FrameRecorder.Exception {
        packets++;
        if (keepHistory) {
            seen.add(new Seen(meta.frameNumber(), meta.captureTs(), meta.keyFrame(), packet.size()));
        }
        if (recorded > 0 || meta.keyFrame()) {
            recorder.recordPacket(packet); // releases the packet itself; the consumer's unref afterwards is a no-op
            recorded++;
        }
    }

    @Override
    protected void onDisconnected(StreamSession session, boolean stopping) {
        try {
            recorder.close();
        } catch (FrameRecorder.Exception e) {
            throw new IllegalStateException(e);
        }
    }

    List<Seen> seen() {
        return seen;
    }

    long packets() {
        return packets;
    }

    int recorded() {
        return recorded;
    }
}
