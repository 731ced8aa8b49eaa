package io.visionfleet.slam.stream;

import io.visionfleet.common.rtsp.ConsumerConfig;
import io.visionfleet.common.rtsp.ConsumerSettings;
import io.visionfleet.common.rtsp.DecodedFrame;
import io.visionfleet.common.rtsp.FrameConsumer;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Pulls every followed stream as decoded frames, newest first. The visual odometry plug in here in their own
 * issue; until then each frame is only counted, which the frame-rate log, health and metrics report.
 */
@Singleton
public class SlamConsumer extends FrameConsumer {
    private static final Logger LOG = Logger.getLogger(SlamConsumer.class);

    public SlamConsumer(ConsumerConfig config) {
        super(ConsumerSettings.of(config));
    }

    @Override
    protected void onFrame(DecodedFrame frame) {
        LOG.tracef("%s", frame.meta());
    }
}
