package io.visionfleet.ingest.feed;

import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.PathParam;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.visionfleet.common.api.Access;
import io.visionfleet.common.api.AccessRole;

/** {@code /ws/video/{streamId}}: H.264 Annex-B in binary messages, JSON control in text messages. */
@Access(AccessRole.PUBLIC) // publishers bring video credentials of their own, checked before the upgrade (PublishUpgradeCheck)
@WebSocket(path = "/ws/video/{streamId}")
public class VideoSocket {
    private final VideoIngest ingest;

    public VideoSocket(VideoIngest ingest) {
        this.ingest = ingest;
    }

    @OnOpen
    void open(WebSocketConnection connection, @PathParam String streamId) {
        ingest.open(connection, streamId);
    }

    @OnBinaryMessage
    void binary(byte[] data, WebSocketConnection connection) {
        ingest.binary(connection, data);
    }

    @OnTextMessage
    void text(String text, WebSocketConnection connection) {
        ingest.text(connection, text);
    }

    @OnClose
    void close(WebSocketConnection connection) {
        ingest.close(connection);
    }

    @OnError
    void error(Throwable failure, WebSocketConnection connection) {
        ingest.error(connection, failure);
    }
}
