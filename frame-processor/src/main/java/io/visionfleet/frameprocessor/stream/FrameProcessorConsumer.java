package io.visionfleet.frameprocessor.stream;

import io.visionfleet.common.rtsp.ConsumerConfig;
import io.visionfleet.common.rtsp.ConsumerSettings;
import io.visionfleet.common.rtsp.DecodedFrame;
import io.visionfleet.common.rtsp.FrameConsumer;
import io.visionfleet.common.rtsp.StreamListener;
import io.visionfleet.common.rtsp.StreamState;
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
 */
@Singleton
public class FrameProcessorConsumer extends FrameConsumer {
    private final StreamPipelines pipelines;

    public FrameProcessorConsumer(ConsumerConfig config, StreamPipelines pipelines) {
        super(ConsumerSettings.of(config));
        this.pipelines = pipelines;
        addListener(new StreamListener() {
            @Override
            public void followed(StreamState stream) {
            }

            @Override
            public void unfollowed(StreamState stream) {
                pipelines.stop(stream.streamId());
            }
        });
    }

    @Override
    protected void onFrame(DecodedFrame frame) {
        Frame image = frame.image();
        // wraps the slot's pixels without copying; valid for this call, like the slot
        Mat bgr = new Mat(image.imageHeight, image.imageWidth, CV_8UC3, new BytePointer((ByteBuffer) image.image[0]),
                (long) image.imageStride);
        pipelines.process(frame.meta(), bgr);
    }
}
