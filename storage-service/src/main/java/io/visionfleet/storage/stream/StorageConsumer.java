package io.visionfleet.storage.stream;

import io.visionfleet.common.rtsp.ConsumerConfig;
import io.visionfleet.common.rtsp.ConsumerSettings;
import io.visionfleet.common.rtsp.FrameMeta;
import io.visionfleet.common.rtsp.PacketConsumer;
import jakarta.inject.Singleton;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.jboss.logging.Logger;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;

/**
 * Pulls every followed stream in packet mode: access units as they arrive, not decoded, as the MP4 recorder
 * will remux them in its own issue. Until then it logs each session's codec and counts the packets, which the
 * frame-rate log, health and metrics report.
 */
@Singleton
public class StorageConsumer extends PacketConsumer {
    private static final Logger LOG = Logger.getLogger(StorageConsumer.class);

    public StorageConsumer(ConsumerConfig config) {
        super(ConsumerSettings.of(config));
    }

    @Override
    protected void onConnected(String streamId, AVFormatContext format) {
        for (int i = 0; i < format.nb_streams(); i++) {
            AVCodecParameters codec = format.streams(i).codecpar();
            LOG.infof("stream %s: track %d is %s %dx%d", streamId, i, avcodec_get_name(codec.codec_id()).getString(),
                    codec.width(), codec.height());
        }
    }

    @Override
    protected void onPacket(FrameMeta meta, AVPacket packet) {
        LOG.tracef("%s, %d bytes", meta, packet.size());
    }
}
