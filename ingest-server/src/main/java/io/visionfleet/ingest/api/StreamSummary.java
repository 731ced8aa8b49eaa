package io.visionfleet.ingest.api;

/**
 * One line of {@code GET /streams}.
 *
 * @param source      what feeds it: {@code websocket}, or the pull URL without its password
 * @param feed        {@code websocket}, {@code rtsp} or {@code file}
 * @param sourceState connecting, playing, retrying in N s: reason, stopped (pull sources; null for WebSocket)
 * @param readers     RTSP sessions playing it now
 */
public record StreamSummary(String id, String source, String feed, String rtspUrl, String sourceState,
                            double inputFps, int readers) {
}
