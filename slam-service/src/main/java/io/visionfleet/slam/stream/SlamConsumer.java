package io.visionfleet.slam.stream;

import io.visionfleet.common.bus.BusPublisher;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.rtsp.ConsumerConfig;
import io.visionfleet.common.rtsp.ConsumerSettings;
import io.visionfleet.common.rtsp.DecodedFrame;
import io.visionfleet.common.rtsp.FrameConsumer;
import io.visionfleet.common.rtsp.StreamListener;
import io.visionfleet.common.rtsp.StreamState;
import io.visionfleet.slam.eval.StampedPose;
import io.visionfleet.slam.output.KeyframeWriter;
import jakarta.inject.Singleton;

/**
 * Pulls every followed stream as decoded frames, newest first, and runs monocular SLAM on each: every processed
 * frame's pose goes to {@code slam_results_exchange}, keyframes are saved as JPEGs, and a stream's trajectory
 * and sparse map are written when it stops being followed (which includes shutdown).
 */
@Singleton
public class SlamConsumer extends FrameConsumer {
    private final SlamStreams streams;
    private final BusPublisher publisher;
    private final KeyframeWriter keyframes;

    public SlamConsumer(ConsumerConfig config, SlamStreams streams, BusPublisher publisher, KeyframeWriter keyframes) {
        super(ConsumerSettings.of(config));
        this.streams = streams;
        this.publisher = publisher;
        this.keyframes = keyframes;
        addListener(new StreamListener() {
            @Override
            public void followed(StreamState stream) {
                // pipelines are created on a stream's first frame, when its picture size is known
            }

            @Override
            public void unfollowed(StreamState stream) {
                streams.writeFinal(stream.streamId());
            }
        });
    }

    @Override
    protected void onFrame(DecodedFrame frame) {
        StreamSlam slam = streams.get(frame.meta().streamId());
        StreamSlam.Output out = slam.process(frame);
        if (out == null) {
            return;
        }
        publisher.publish(Exchanges.SLAM_RESULTS, out.message());
        if (out.result().keyframe()) {
            keyframes.save(frame.meta().streamId(), frame.meta().frameNumber(), out.message().mapSegment(),
                    new StampedPose(frame.meta().captureTsMs() / 1000.0, out.result().cameraToWorld()), out.bgr());
        }
    }
}
