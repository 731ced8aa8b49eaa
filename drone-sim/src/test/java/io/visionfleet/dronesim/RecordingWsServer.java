package io.visionfleet.dronesim;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A real WebSocket server on a local port that records every message the drone sends, with its arrival time. */
final class RecordingWsServer implements AutoCloseable {
    /** One message: the connection it came on (0, 1, ...), its path, arrival, and binary or text content. */
    record Message(int connection, String path, long arrivalNanos, byte[] binary, String text) {
        boolean isBinary() {
            return binary != null;
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final List<Message> messages = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final int dropFirstConnectionAfter;
    private HttpServer server;

    private RecordingWsServer(int dropFirstConnectionAfter) {
        this.dropFirstConnectionAfter = dropFirstConnectionAfter;
    }

    static RecordingWsServer start(int port) throws Exception {
        return start(port, Integer.MAX_VALUE);
    }

    /** A server that closes its first video connection after that many binary messages, as a crashing server would. */
    static RecordingWsServer start(int port, int dropFirstConnectionAfter) throws Exception {
        RecordingWsServer recorder = new RecordingWsServer(dropFirstConnectionAfter);
        HttpServerOptions options = new HttpServerOptions()
                .setMaxWebSocketFrameSize(16 << 20)
                .setMaxWebSocketMessageSize(16 << 20);
        recorder.server = recorder.vertx.createHttpServer(options)
                .webSocketHandler(recorder::accept)
                .listen(port, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return recorder;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    int port() {
        return server.actualPort();
    }

    List<Message> messages(String path) {
        return messages.stream().filter(m -> m.path().equals(path)).toList();
    }

    List<Message> binary(String path) {
        return messages(path).stream().filter(Message::isBinary).toList();
    }

    List<Message> text(String path) {
        return messages(path).stream().filter(m -> !m.isBinary()).toList();
    }

    private void accept(ServerWebSocket ws) {
        int connection = connections.getAndIncrement();
        String path = ws.path();
        AtomicInteger binaryCount = new AtomicInteger();
        ws.binaryMessageHandler(buffer -> {
            messages.add(new Message(connection, path, System.nanoTime(), buffer.getBytes(), null));
            if (connection == 0 && binaryCount.incrementAndGet() == dropFirstConnectionAfter) {
                ws.close((short) 1011, "test server drops the connection");
            }
        });
        ws.textMessageHandler(text -> messages.add(new Message(connection, path, System.nanoTime(), null, text)));
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
