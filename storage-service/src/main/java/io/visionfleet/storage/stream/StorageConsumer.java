package io.visionfleet.storage.stream;

import io.visionfleet.common.consumer.ConsumerConfig;
import io.visionfleet.common.consumer.ConsumerSettings;
import io.visionfleet.common.consumer.FrameMeta;
import io.visionfleet.common.consumer.PacketConsumer;
import io.visionfleet.common.consumer.StreamState;
import io.visionfleet.storage.record.RecorderFactory;
import io.visionfleet.storage.record.StreamRecorder;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;

import java.io.IOException;

/**
 * Pulls every followed stream in packet mode and hands each stream's packets, undecoded, to its recorder (the
 * stream's session), which remuxes them into MP4 segments. A recorder opens when its stream first connects and
 * stops when the stream is unfollowed (configured streams, and {@code stream_events_exchange} when followed);
 * storage turns the idle expiry off, since a recorder spans losses up to {@code fleet.storage.session-gap}.
 */
@Singleton
public class StorageConsumer extends PacketConsumer<StreamRecorder> {
    private final RecorderFactory recorders;

    @Inject
    public StorageConsumer(ConsumerConfig config, RecorderFactory recorders) {
        this(ConsumerSettings.of(config), recorders);
    }

    public StorageConsumer(ConsumerSettings settings, RecorderFactory recorders) {
        super(settings);
        this.recorders = recorders;
    }

    @Override
    protected StreamRecorder openSession(StreamState stream) {
        return recorders.open(stream.streamId());
    }

    @Override
    protected void onConnected(StreamRecorder recorder, AVFormatContext format) {
        recorder.connected(format);
    }

    @Override
    protected void onPacket(StreamRecorder recorder, FrameMeta meta, AVPacket packet) throws IOException {
        recorder.packet(meta, packet);
    }

    @Override
    protected void onDisconnected(StreamRecorder recorder, boolean stopping) {
        recorder.disconnected(stopping);
    }
}
