package io.visionfleet.ingest.testing;

import org.eclipse.microprofile.config.ConfigProvider;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client for tests (the JDK client) on the application's test HTTP port: a publisher that sends messages
 * or a viewer of the dashboard's sockets; collects text and binary messages and the close code.
 */
public final class WsClient implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final WebSocket socket;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private volatile String closeReason;

    private WsClient(String path, String... headers) {
        StringBuilder text = new StringBuilder();
        ByteArrayOutputStream binary = new ByteArrayOutputStream();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        socket = builder.buildAsync(URI.create("ws://localhost:" + httpPort() + path), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    replies.add(text.toString());
                    text.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                binary.writeBytes(bytes);
                if (last) {
                    binaries.add(binary.toByteArray());
                    binary.reset();
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                closeReason = reason;
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closed.complete(-1);
            }
        }).join();
    }

    /** Opens {@code path} on the test port, with {@code headers} as name, value, name, value... on the upgrade. */
    public static WsClient connect(String path, String... headers) {
        return new WsClient(path, headers);
    }

    public static int httpPort() {
        return ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    }

    public void sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).join();
    }

    /**
     * Sends one message as a series of frames of {@code fragmentBytes}; stops quietly when the server closes the
     * connection meanwhile (as it does for a message over its size limit).
     */
    public void sendBinaryInFragments(byte[] data, int fragmentBytes) {
        for (int pos = 0; pos < data.length && !socket.isOutputClosed() && !closed.isDone(); pos += fragmentBytes) {
            int end = Math.min(data.length, pos + fragmentBytes);
            try {
                socket.sendBinary(ByteBuffer.wrap(data, pos, end - pos), end == data.length).join();
            } catch (CompletionException e) {
                return;
            }
        }
    }

    public void sendText(String text) {
        socket.sendText(text, true).join();
    }

    /** The next text reply, or an assertion failure when none comes in time. */
    public String reply(Duration within) throws InterruptedException {
        String reply = pollText(within);
        if (reply == null) {
            throw new AssertionError("no reply within " + within);
        }
        return reply;
    }

    /** The next text message, or null when none comes in time. */
    public String pollText(Duration within) throws InterruptedException {
        return replies.poll(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next binary message, or null when none comes in time. */
    public byte[] pollBinary(Duration within) throws InterruptedException {
        return binaries.poll(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isOpen() {
        return !closed.isDone() && !socket.isInputClosed() && !socket.isOutputClosed();
    }

    /** The close code the server sent, waiting for it. */
    public int closeCode(Duration within) throws Exception {
        return closed.get(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The reason the server gave with its close frame; null before one came. */
    public String closeReason() {
        return closeReason;
    }

    @Override
    public void close() {
        try {
            if (!closed.isDone() && !socket.isOutputClosed()) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
                closed.completeOnTimeout(-1, 2, TimeUnit.SECONDS).join(); // let the server answer the close
            }
        } catch (CompletionException e) {
            // the server closed first; nothing left to say
        }
        socket.abort();
    }
}
