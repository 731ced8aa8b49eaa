package io.visionfleet.ingest.relay;

/** Inbound bytes that are no acceptable RTSP request or interleaved frame; the connection cannot be trusted further. */
record MalformedRequest(String reason) {
}
