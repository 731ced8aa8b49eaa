package io.visionfleet.dronesim;

/** What the drone's camera produces: picture size and frame rate (frames per second). */
record VideoFormat(int width, int height, double fps) {
    /** The {@code video_config} control message the ingest server understands. */
    String configJson() {
        return "{\"type\":\"video_config\",\"width\":" + width + ",\"height\":" + height
                + ",\"fps\":" + fps + ",\"codec\":\"h264\"}";
    }
}
