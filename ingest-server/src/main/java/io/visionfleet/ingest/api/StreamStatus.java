package io.visionfleet.ingest.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.visionfleet.ingest.feed.FeedStats;
import io.visionfleet.ingest.relay.RelayStats;

import java.util.List;

/**
 * {@code GET /streams/{id}}: the stream as the relay sees it and as its feed delivered it.
 *
 * @param hasParameterSets whether SPS and PPS arrived, i.e. whether readers can be served
 * @param inputFps         access units received over the last second
 * @param bitrateBps       bits received over the last second
 * @param bytesIn          NAL unit bytes received since the stream opened
 * @param lastIdrAgeMs     milliseconds since the last IDR; null before the first
 * @param readers          RTSP sessions with their state, bytes sent and access units dropped
 * @param videoConfig      what a WebSocket publisher declared in its {@code video_config} message
 * @param ingestErrors     what the feed dropped or refused
 */
public record StreamStatus(String id, String source, String feed, String rtspUrl, String sourceState,
                           boolean hasParameterSets, double inputFps, long bitrateBps, long bytesIn,
                           long accessUnitsIn, Long lastIdrAgeMs, List<RelayStats.Reader> readers,
                           JsonNode videoConfig, FeedStats.Errors ingestErrors) {
}
