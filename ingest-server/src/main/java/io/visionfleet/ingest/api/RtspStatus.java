package io.visionfleet.ingest.api;

import java.util.List;

/**
 * {@code GET /rtsp/status}, with the fields of the original single-drone server.
 *
 * @param running   whether the RTSP relay is listening
 * @param rtspUrl   URL of the default drone stream ({@code fleet.ingest.default-stream-id})
 * @param queueSize bytes waiting in readers' send queues, summed over every reader of every stream (each bounded
 *                  by {@code fleet.relay.reader-queue-bytes})
 * @param readers   RTSP sessions playing, over all streams
 * @param drops     access units readers lost to full queues, over all streams
 * @param streams   every stream the relay serves
 */
public record RtspStatus(boolean running, String rtspUrl, long queueSize, int readers, long drops,
                         List<StreamSummary> streams) {
}
