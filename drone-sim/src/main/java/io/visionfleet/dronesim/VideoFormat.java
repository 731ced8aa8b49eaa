package io.visionfleet.dronesim;

import io.visionfleet.common.h264.VideoCodec;
import io.visionfleet.sim.publish.AnnexBSender;

/** What the drone's camera produces: codec, picture size and frame rate (frames per second). */
record VideoFormat(VideoCodec codec, int width, int height, double fps) {
    /** The {@code video_config} control message the ingest server understands. */
    String configJson() {
        return AnnexBSender.configJson(width, height, fps, codec);
    }
}
