package io.visionfleet.ingest.relay;

import io.netty.handler.codec.http.HttpResponseStatus;

/** A request the relay answers with an error status; the message goes into the response body. */
final class RtspException extends RuntimeException {
    private final HttpResponseStatus status;

    RtspException(HttpResponseStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    HttpResponseStatus status() {
        return status;
    }
}
