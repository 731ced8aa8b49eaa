package io.visionfleet.ingest.feed;

import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.visionfleet.common.api.Access;
import io.visionfleet.common.api.AccessRole;

/** {@code /ws/video}: the original drone server's path, publishing stream {@code fleet.ingest.default-stream-id}. */
@Access(AccessRole.PUBLIC) // publishers bring video credentials of their own, checked before the upgrade (PublishUpgradeCheck)
@WebSocket(path = "/ws/video")
public class DroneVideoSocket {
    private final VideoIngest ingest;
    private final IngestConfig config;

    public DroneVideoSocket(VideoIngest ingest, IngestConfig config) {
        this.ingest = ingest;
        this.config = config;
    }

    @OnOpen
    void open(WebSocketConnection connection) {
        ingest.open(connection, config.defaultStreamId());
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
