package io.visionfleet.frameprocessor.stream;

import io.visionfleet.common.consumer.ConsumerConfig;
import io.visionfleet.common.consumer.ConsumerSettings;
import io.visionfleet.common.consumer.DecodedFrame;
import io.visionfleet.common.consumer.FrameConsumer;
import io.visionfleet.common.consumer.StreamState;
import io.visionfleet.frameprocessor.pipeline.StreamPipeline;
import io.visionfleet.frameprocessor.pipeline.StreamPipelines;
import jakarta.inject.Singleton;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.Frame;
import org.bytedeco.opencv.opencv_core.Mat;

import java.nio.ByteBuffer;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

/**
 * Pulls every followed stream as decoded frames, newest first, and runs each through its stream's pipeline on that
 * stream's processing thread, so streams are processed in parallel and a slow one drops its own stale frames only.
 * A stream's pipeline is its session: {@link #session} finds it for the API.
 */
@Singleton
public class FrameProcessorConsumer extends FrameConsumer<StreamPipeline> {
    private final StreamPipelines pipelines;

    public FrameProcessorConsumer(ConsumerConfig config, StreamPipelines pipelines) {
        super(ConsumerSettings.of(config));
        this.pipelines = pipelines;
        addListener(stream -> pipelines.dropUnwatchedOverlay(stream.streamId()));
    }

    @Override
    protected StreamPipeline openSession(StreamState stream) {
        return pipelines.open(stream.streamId());
    }

    @Override
    protected void onFrame(StreamPipeline pipeline, DecodedFrame frame) {
        Frame image = frame.image();
        // wraps the slot's pixels without copying; valid for this call, like the slot
        Mat bgr = new Mat(image.imageHeight, image.imageWidth, CV_8UC3, new BytePointer((ByteBuffer) image.image[0]),
                (long) image.imageStride);
        pipeline.process(frame.meta(), frame.decodedTs(), bgr);
    }
}
