package io.visionfleet.storage.stream;

import io.visionfleet.common.rtsp.ConsumerConfig;
import io.visionfleet.common.rtsp.ConsumerSettings;
import io.visionfleet.common.rtsp.FrameMeta;
import io.visionfleet.common.rtsp.PacketConsumer;
import io.visionfleet.storage.record.Recorders;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;

import java.io.IOException;

/**
 * Pulls every followed stream in packet mode and hands each stream's packets, undecoded, to its recorder, which
 * remuxes them into MP4 segments. Streams start and stop being recorded as the consumer follows and unfollows
 * them (configured streams, and {@code stream_events_exchange} when followed).
 */
@Singleton
public class StorageConsumer extends PacketConsumer {
    private final Recorders recorders;

    @Inject
    public StorageConsumer(ConsumerConfig config, Recorders recorders) {
        this(ConsumerSettings.of(config), recorders);
    }

    public StorageConsumer(ConsumerSettings settings, Recorders recorders) {
        super(settings);
        this.recorders = recorders;
        addListener(recorders);
    }

    @Override
    protected void onConnected(String streamId, AVFormatContext format) {
        recorders.connected(streamId, format);
    }

    @Override
    protected void onPacket(FrameMeta meta, AVPacket packet) throws IOException {
        recorders.packet(meta, packet);
    }

    @Override
    protected void onDisconnected(String streamId) {
        // unfollow removes the stream before its session ends: absent means it is stopping, not lost
        recorders.disconnected(streamId, stream(streamId).isEmpty());
    }
}
