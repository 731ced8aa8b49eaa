package io.visionfleet.slam.stream;

import io.visionfleet.common.bus.BusPublisher;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.consumer.ConsumerConfig;
import io.visionfleet.common.consumer.ConsumerSettings;
import io.visionfleet.common.consumer.DecodedFrame;
import io.visionfleet.common.consumer.FrameConsumer;
import io.visionfleet.common.consumer.StreamState;
import io.visionfleet.slam.eval.StampedPose;
import io.visionfleet.slam.imu.ImuFollower;
import io.visionfleet.slam.output.KeyframeWriter;
import jakarta.inject.Singleton;

/**
 * Pulls every followed stream as decoded frames, newest first, and runs monocular SLAM on each: every processed
 * frame's pose goes to {@code slam_results_exchange}, keyframes are saved as JPEGs, and a stream's trajectory
 * and sparse map are written when its session closes: it stops being followed (which includes shutdown) or goes
 * idle. {@link #session} finds a stream's pipeline for the HTTP API. The telemetry of exactly the followed streams
 * reaches {@link ImuFollower}.
 */
@Singleton
public class SlamConsumer extends FrameConsumer<StreamSlam> {
    private final StreamSlamFactory slams;
    private final BusPublisher publisher;
    private final KeyframeWriter keyframes;

    public SlamConsumer(ConsumerConfig config, StreamSlamFactory slams, BusPublisher publisher,
                        KeyframeWriter keyframes, ImuFollower imu) {
        super(ConsumerSettings.of(config));
        this.slams = slams;
        this.publisher = publisher;
        this.keyframes = keyframes;
        addListener(imu.followedStreams());
    }

    @Override
    protected StreamSlam openSession(StreamState stream) {
        return slams.open(stream.streamId());
    }

    @Override
    protected void onFrame(StreamSlam slam, DecodedFrame frame) {
        StreamSlam.Output out = slam.process(frame);
        if (out == null) {
            return;
        }
        publisher.publish(Exchanges.SLAM_RESULTS, frame.meta().streamId(), out.message());
        if (out.result().keyframe()) {
            keyframes.save(frame.meta().streamId(), frame.meta().frameNumber(), out.message().mapSegment(),
                    new StampedPose(frame.meta().captureTs() / 1000.0, out.result().cameraToWorld()), out.bgr());
        }
    }
}
