package io.visionfleet.common.rtsp;

import io.visionfleet.common.auth.DigestAuth;
import io.visionfleet.common.net.UrlCredentials;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The client side of one RTSP connection over TCP with interleaved RTP, as the relay serves it: requests with
 * Basic or Digest credentials, then the interleaved frames of the played session. Every read is bounded by the
 * I/O timeout; input is bounded in size, since the peer is not trusted.
 */
final class RtspClient implements AutoCloseable {
    private static final int MAX_LINE = 8192;
    private static final int MAX_HEADERS = 64;
    private static final int MAX_BODY = 64 * 1024;

    /** A response: status, headers by lower-case name (repeated ones joined by a newline), body. */
    record Response(int status, String reason, Map<String, String> headers, String body) {
        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }
    }

    /** One interleaved frame: its channel and its payload, valid until the next read. */
    record Interleaved(int channel, byte[] data, int length) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Optional<UrlCredentials.Login> login;
    private final byte[] frame = new byte[65536];
    private int cseq;
    private DigestAuth digest;
    private String basic;
    private String session;

    private RtspClient(Socket socket, Optional<UrlCredentials.Login> login) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 65536);
        this.out = socket.getOutputStream();
        this.login = login;
    }

    static RtspClient connect(URI url, Optional<UrlCredentials.Login> login, Duration ioTimeout) throws IOException {
        Socket socket = new Socket();
        try {
            int timeoutMs = (int) ioTimeout.toMillis();
            socket.connect(new InetSocketAddress(url.getHost(), url.getPort() < 0 ? 554 : url.getPort()), timeoutMs);
            socket.setSoTimeout(timeoutMs);
            socket.setTcpNoDelay(true);
            return new RtspClient(socket, login);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Sends a request and reads its answer, answering one 401 with the credentials (Digest when offered, since it
     * does not send the password). A status other than 2xx throws {@link RtspStatusException}.
     */
    Response request(String method, String uri, String... headerLines) throws IOException {
        send(method, uri, headerLines);
        Response response = readResponse();
        if (response.status() == 401 && login.isPresent() && authorizeFrom(response.header("www-authenticate").orElse(""))) {
            send(method, uri, headerLines);
            response = readResponse();
        }
        if (response.status() / 100 != 2) {
            throw new RtspStatusException(method, response.status(), response.reason());
        }
        response.header("session").ifPresent(value -> session = value.split(";", 2)[0].trim());
        return response;
    }

    /** Sends a request whose answer will arrive between interleaved frames, where {@link #next} skips it. */
    void send(String method, String uri, String... headerLines) throws IOException {
        StringBuilder request = new StringBuilder(method).append(' ').append(uri).append(" RTSP/1.0\r\n")
                .append("CSeq: ").append(++cseq).append("\r\n")
                .append("User-Agent: vision-fleet\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        if (session != null) {
            request.append("Session: ").append(session).append("\r\n");
        }
        String credentials = credentials(method, uri);
        if (credentials != null) {
            request.append("Authorization: ").append(credentials).append("\r\n");
        }
        out.write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The next interleaved frame; RTSP answers in between (to keep-alives) are read and dropped. */
    Interleaved next() throws IOException {
        while (true) {
            int first = in.read();
            if (first < 0) {
                throw new EOFException("connection closed by the server");
            }
            if (first == '$') {
                int channel = readByte();
                int length = (readByte() << 8) | readByte();
                readFully(frame, length);
                return new Interleaved(channel, frame, length);
            }
            if (first != 'R') {
                throw new IOException("neither an interleaved frame nor an RTSP answer: byte " + first);
            }
            readResponseAfter("R");
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private Response readResponse() throws IOException {
        int first = readByte();
        while (first == '$') { // a server may start sending before its answer; nothing is played yet
            readByte();
            readFully(frame, (readByte() << 8) | readByte());
            first = readByte();
        }
        return readResponseAfter(String.valueOf((char) first));
    }

    private Response readResponseAfter(String start) throws IOException {
        String statusLine = start + readLine();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("RTSP/")) {
            throw new IOException("not an RTSP answer: " + statusLine);
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an RTSP status: " + statusLine);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon <= 0 || headers.size() >= MAX_HEADERS) {
                throw new IOException("bad or too many RTSP headers");
            }
            headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                    (a, b) -> a + "\n" + b);
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        if (length < 0 || length > MAX_BODY) {
            throw new IOException("RTSP body of " + length + " bytes");
        }
        byte[] body = new byte[length];
        readFully(body, length);
        return new Response(status, parts.length > 2 ? parts[2] : "", headers, new String(body, StandardCharsets.UTF_8));
    }

    /**
     * Takes the credentials a 401 asks for (Digest MD5 when offered, since it does not send the password): true when the
     * request is worth sending again, i.e. on the first 401 or when the server only found the Digest nonce stale.
     */
    private boolean authorizeFrom(String challenges) throws IOException {
        List<String> offered = List.of(challenges.split("\n"));
        DigestAuth.Challenge challenge = offered.stream().map(DigestAuth.Challenge::parse).filter(Objects::nonNull)
                .filter(c -> "MD5".equalsIgnoreCase(c.algorithm())).findFirst().orElse(null);
        boolean firstAnswer = digest == null && basic == null;
        UrlCredentials.Login l = login.orElseThrow();
        if (challenge != null && (firstAnswer || (digest != null && challenge.stale()))) {
            if (digest == null) {
                digest = new DigestAuth(l.user(), l.password().toCharArray());
            }
            digest.challenge(challenge);
            return true;
        }
        if (!firstAnswer) {
            return false;
        }
        if (offered.stream().noneMatch(c -> c.regionMatches(true, 0, "Basic", 0, 5))) {
            throw new IOException("no supported authentication scheme offered: " + challenges);
        }
        basic = "Basic " + Base64.getEncoder().encodeToString((l.user() + ":" + l.password()).getBytes(StandardCharsets.UTF_8));
        return true;
    }

    /** The Authorization value of a request (Digest is computed per method and URI), or null. */
    private String credentials(String method, String uri) {
        return digest != null ? digest.header(method, uri) : basic;
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = readByte(); b != '\n'; b = readByte()) {
            if (line.size() >= MAX_LINE) {
                throw new IOException("RTSP line over " + MAX_LINE + " bytes");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection closed by the server");
        }
        return b;
    }

    private void readFully(byte[] into, int length) throws IOException {
        for (int done = 0; done < length; ) {
            int n = in.read(into, done, length - done);
            if (n < 0) {
                throw new EOFException("connection closed by the server");
            }
            done += n;
        }
    }
}
