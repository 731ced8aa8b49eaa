package io.visionfleet.ingest.relay;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;

/**
 * A byte-level RTSP client for tests: sends exactly what the test says (well-formed or not) and reads responses
 * and interleaved frames as they arrive, so tests can check status codes, headers and packet order.
 */
final class RtspProbe implements AutoCloseable {
    private static final int MAX_RESPONSE_BYTES = 64 * 1024;

    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name);
        }
    }

    record Frame(int channel, byte[] payload, long receivedNanos) {
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Deque<Frame> pendingFrames = new ArrayDeque<>();
    private int cseq;
    private String session;

    private RtspProbe(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        this.out = socket.getOutputStream();
    }

    static RtspProbe connect(int port) {
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(5000);
            return new RtspProbe(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a request with the next CSeq, the session once there is one, and {@code headers} ("Name: value"). */
    Response request(String method, String url, String... headers) {
        StringBuilder request = new StringBuilder(method).append(' ').append(url).append(" RTSP/1.0\r\n")
                .append("CSeq: ").append(++cseq).append("\r\n");
        if (session != null) {
            request.append("Session: ").append(session).append("\r\n");
        }
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        send(request.append("\r\n").toString());
        Response response = readResponse();
        if (response.header("session") != null) {
            session = response.header("session").split(";")[0];
        }
        return response;
    }

    /** OPTIONS, DESCRIBE, SETUP (TCP, channels 0-1) and PLAY; returns the PLAY response. */
    Response play(String url) {
        request("OPTIONS", url);
        Response describe = request("DESCRIBE", url, "Accept: application/sdp");
        if (describe.status() != 200) {
            throw new IllegalStateException("DESCRIBE " + url + ": " + describe);
        }
        request("SETUP", describe.header("content-base") + SessionDescription.TRACK_CONTROL,
                "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
        return request("PLAY", describe.header("content-base"), "Range: npt=0.000-");
    }

    void send(String text) {
        send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    void send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next response, keeping interleaved frames that arrive before it for {@link #readFrame()}. */
    Response readResponse() {
        try {
            while (true) {
                int first = in.readUnsignedByte();
                if (first == '$') {
                    pendingFrames.add(readFramePayload());
                    continue;
                }
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                head.write(first);
                int last4 = first;
                while (last4 != 0x0d0a0d0a) { // up to the blank line that ends the header
                    if (head.size() > MAX_RESPONSE_BYTES) {
                        throw new IllegalStateException("response header too long");
                    }
                    int b = in.readUnsignedByte();
                    head.write(b);
                    last4 = (last4 << 8) | b;
                }
                String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
                Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    // a repeated header (WWW-Authenticate per scheme) keeps every value, one per line
                    headers.merge(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim(),
                            (a, b) -> a + "\n" + b);
                }
                byte[] body = new byte[Integer.parseInt(headers.getOrDefault("Content-Length", "0"))];
                in.readFully(body);
                String[] status = lines[0].split(" ", 3);
                if (!status[0].equals("RTSP/1.0")) {
                    throw new IllegalStateException("not an RTSP response: " + lines[0]);
                }
                return new Response(Integer.parseInt(status[1]), headers, new String(body, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next interleaved frame. */
    Frame readFrame() {
        if (!pendingFrames.isEmpty()) {
            return pendingFrames.poll();
        }
        try {
            int first = in.readUnsignedByte();
            if (first != '$') {
                throw new IllegalStateException("expected an interleaved frame, got 0x" + Integer.toHexString(first));
            }
            return readFramePayload();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when the relay closed the connection (end of stream within the read timeout). */
    boolean closedByPeer() {
        try {
            while (true) {
                int first = in.read();
                if (first < 0) {
                    return true;
                }
                if (first == '$') {
                    readFramePayload();
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (EOFException e) {
            return true;
        } catch (IOException e) {
            return true; // reset by the peer
        }
    }

    private Frame readFramePayload() throws IOException {
        int channel = in.readUnsignedByte();
        byte[] payload = new byte[in.readUnsignedShort()];
        in.readFully(payload);
        return new Frame(channel, payload, System.nanoTime());
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
