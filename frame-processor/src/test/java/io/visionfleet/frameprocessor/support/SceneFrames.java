package io.visionfleet.frameprocessor.support;

import io.visionfleet.common.consumer.FrameMeta;
import io.visionfleet.common.rtsp.CaptureClock;
import io.visionfleet.frameprocessor.pipeline.StreamPipeline;
import io.visionfleet.sim.scene.GroundTruthScene;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

/** Frames of a ground-truth scene as the pipeline receives them (raw, without a codec), with their identity. */
public final class SceneFrames {
    public static final long FIRST_CAPTURE_TS = 1_795_290_000_000L;

    private final GroundTruthScene scene;
    private final byte[] bgr;

    public SceneFrames(GroundTruthScene scene) {
        this.scene = scene;
        this.bgr = new byte[scene.width() * scene.height() * 3];
    }

    /** Frame {@code index} as a new Mat (owned by the caller's pointer scope). */
    public Mat frame(long index) {
        scene.render(index, bgr);
        Mat mat = new Mat(scene.height(), scene.width(), CV_8UC3);
        mat.data().put(bgr);
        return mat;
    }

    /** Feeds frame {@code index} of stream {@code streamId} to {@code pipeline}, freeing its pixels after; true if processed. */
    public boolean feed(StreamPipeline pipeline, String streamId, long index) {
        try (PointerScope scope = new PointerScope()) {
            return pipeline.process(meta(streamId, index), decodedTs(index), frame(index));
        }
    }

    /** When frame {@code index} was decoded: 5 ms after its capture. */
    public static long decodedTs(long index) {
        return FIRST_CAPTURE_TS + index * 33 + 5;
    }

    /** Identity of frame {@code index} of stream {@code streamId}: numbered from 1, captured 33 ms apart. */
    public static FrameMeta meta(String streamId, long index) {
        return new FrameMeta(streamId, index + 1, FIRST_CAPTURE_TS + index * 33, index * 33_333, index % 30 == 0,
                CaptureClock.Source.RTCP);
    }
}
