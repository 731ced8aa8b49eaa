package io.visionfleet.common.rtsp;

import java.io.IOException;

/** An RTSP server answered a request with an error status. */
final class RtspStatusException extends IOException {
    private final int status;

    RtspStatusException(String method, int status, String reason) {
        super(method + " answered " + status + " " + reason);
        this.status = status;
    }

    int status() {
        return status;
    }
}
