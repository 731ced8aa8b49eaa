package io.visionfleet.storage.record;

import io.visionfleet.common.rtsp.FrameMeta;
import io.visionfleet.common.rtsp.StreamListener;
import io.visionfleet.common.rtsp.StreamState;
import io.visionfleet.storage.archive.Archive;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * One {@link StreamRecorder} per followed stream: created when the consumer starts following a stream, stopped
 * (segment closed, session ended) when it stops. Routes the consumer's callbacks to the stream's recorder.
 */
public final class Recorders implements StreamListener {
    private final Archive archive;
    private final RecorderSettings settings;
    private final BooleanSupplier diskOk;
    private final LatestSnapshots snapshots;
    private final Map<String, StreamRecorder> recorders = new ConcurrentHashMap<>();

    public Recorders(Archive archive, RecorderSettings settings, BooleanSupplier diskOk, LatestSnapshots snapshots) {
        this.archive = archive;
        this.settings = settings;
        this.diskOk = diskOk;
        this.snapshots = snapshots;
    }

    @Override
    public void followed(StreamState stream) {
        recorders.put(stream.streamId(), new StreamRecorder(stream.streamId(), archive, settings, diskOk, snapshots));
    }

    @Override
    public void unfollowed(StreamState stream) {
        StreamRecorder recorder = recorders.remove(stream.streamId());
        if (recorder != null) {
            recorder.stop();
        }
    }

    public void connected(String streamId, AVFormatContext format) {
        StreamRecorder recorder = recorders.get(streamId);
        if (recorder != null) {
            recorder.connected(format);
        }
    }

    public void packet(FrameMeta meta, AVPacket packet) throws IOException {
        StreamRecorder recorder = recorders.get(meta.streamId());
        if (recorder != null) {
            recorder.packet(meta, packet);
        }
    }

    /** @param stopping true when the stream is no longer followed */
    public void disconnected(String streamId, boolean stopping) {
        StreamRecorder recorder = recorders.get(streamId);
        if (recorder != null) {
            recorder.disconnected(stopping);
        }
    }

    /** Streams followed for recording (whether or not they are connected now). */
    public Set<String> recording() {
        return Set.copyOf(recorders.keySet());
    }
}
