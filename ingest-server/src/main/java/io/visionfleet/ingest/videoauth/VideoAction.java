package io.visionfleet.ingest.videoauth;

/** What a video client does with a stream. */
public enum VideoAction {
    /** Sends video or telemetry into a stream: the WebSocket ingest, pull-source registration. */
    PUBLISH,
    /** Plays a stream from the RTSP relay. */
    READ;

    public String label() {
        return name().toLowerCase();
    }
}
