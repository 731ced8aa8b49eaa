package io.visionfleet.ingest.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Hostile bytes for the RTSP port, each a whole input that ends where the server must decide (a blank line), so
 * that every one is answered at once: requests with random or mutated lines, URIs and headers, oversized headers,
 * too many headers, and interleaved frames of random channel, length and content followed by a request.
 */
final class RtspInputs {
    private static final String[] METHODS = {"OPTIONS", "DESCRIBE", "SETUP", "PLAY", "TEARDOWN", "GET_PARAMETER",
            "PAUSE", "RECORD", "ANNOUNCE", "SET_PARAMETER", "REDIRECT", "GET", "POST", "FLY", "options", ""};
    private static final String[] HEADERS = {"CSeq", "Session", "Transport", "Content-Length", "Accept", "Range",
            "User-Agent", "Content-Type", "Require", "Authorization", "Cookie", ""};
    private static final String[] VALUES = {"1", "-1", "0", "999999999", "99999999999999999999", "abc", "",
            "RTP/AVP/TCP;unicast;interleaved=0-1", "RTP/AVP/TCP;interleaved=300-301", "RTP/AVP;unicast;client_port=5000-5001",
            "RTP/AVP/TCP;interleaved=1-1", "RTP/AVP/TCP;interleaved=a-b", "RTP/AVP/TCP;interleaved=0-1-2", "npt=0.000-",
            "application/sdp", "deadbeef", "deadbeef;timeout=60", "%00", "\u00ff\u00fe", "Basic Zm9vOmJhcg=="};
    private static final String[] URIS = {"rtsp://127.0.0.1/%s", "rtsp://127.0.0.1/%s/trackID=0", "rtsp://127.0.0.1/%s/x/y",
            "/%s", "*", "rtsp://[::1/%s", "rtsp://127.0.0.1/../../etc/passwd", "rtsp://127.0.0.1/%s?a=%%00",
            "rtsp://user:pw@127.0.0.1:0/%s", "rtsp://127.0.0.1/%s%%2F..", "http://127.0.0.1/%s"};

    private final SplittableRandom random;
    private final String stream;
    private final int maxRequestBytes;
    private final int maxInterleavedBytes;

    RtspInputs(SplittableRandom random, String stream, int maxRequestBytes, int maxInterleavedBytes) {
        this.random = random;
        this.stream = stream;
        this.maxRequestBytes = maxRequestBytes;
        this.maxInterleavedBytes = maxInterleavedBytes;
    }

    byte[] next() {
        return switch (random.nextInt(8)) {
            case 0 -> terminated(randomBytes(1 + random.nextInt(512)));
            case 1 -> terminated(ascii(randomText(1 + random.nextInt(200)) + "\r\n" + randomText(random.nextInt(100))));
            case 2 -> terminated(mutate(ascii(request())));
            case 3 -> ascii(request());
            case 4 -> ascii(request().replace("\r\n\r\n", "\r\nX-Pad: " + "a".repeat(maxRequestBytes) + "\r\n\r\n"));
            case 5 -> ascii(request().replace("\r\n\r\n", "\r\n" + "X-Many: 1\r\n".repeat(65 + random.nextInt(100)) + "\r\n"));
            case 6 -> interleavedThenOptions();
            default -> ascii(request() + request() + request()); // pipelined
        };
    }

    /** A request of a random method, URI and headers, sometimes with a body. */
    private String request() {
        StringBuilder request = new StringBuilder(pick(METHODS)).append(' ')
                .append(String.format(pick(URIS), random.nextInt(4) == 0 ? randomText(1 + random.nextInt(80)) : stream))
                .append(' ').append(random.nextInt(10) == 0 ? pick(new String[]{"RTSP/2.0", "HTTP/1.1", "RTSP/1.0 x"}) : "RTSP/1.0")
                .append("\r\n");
        if (random.nextInt(10) != 0) {
            request.append("CSeq: ").append(random.nextInt(10) == 0 ? pick(VALUES) : String.valueOf(random.nextInt(1000))).append("\r\n");
        }
        String body = random.nextInt(8) == 0 ? randomText(random.nextInt(300)) : "";
        for (int i = random.nextInt(6); i > 0; i--) {
            String name = pick(HEADERS);
            if (!name.equals("Content-Length")) {
                request.append(name).append(": ").append(pick(VALUES)).append("\r\n");
            }
        }
        if (!body.isEmpty()) {
            request.append("Content-Length: ").append(body.length()).append("\r\n");
        }
        return request.append("\r\n").append(body).toString();
    }

    private byte[] interleavedThenOptions() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int frames = 1 + random.nextInt(5); frames > 0; frames--) {
            int length = random.nextInt(20) == 0 ? maxInterleavedBytes + 1 + random.nextInt(60_000) : random.nextInt(maxInterleavedBytes + 1);
            out.write('$');
            out.write(random.nextInt(256));
            out.write(length >> 8);
            out.write(length);
            out.writeBytes(randomBytes(Math.min(length, maxInterleavedBytes)));
        }
        out.writeBytes(ascii("OPTIONS rtsp://127.0.0.1/" + stream + " RTSP/1.0\r\nCSeq: 7\r\n\r\n"));
        return out.toByteArray();
    }

    /** Flips, inserts, deletes or duplicates bytes of a request. */
    private byte[] mutate(byte[] bytes) {
        byte[] out = bytes.clone();
        for (int n = 1 + random.nextInt(4); n > 0 && out.length > 1; n--) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(4)) {
                case 0 -> out[at] = (byte) random.nextInt(256);
                case 1 -> out = splice(out, at, at, randomBytes(1 + random.nextInt(16)));
                case 2 -> out = splice(out, at, Math.min(out.length, at + 1 + random.nextInt(16)), new byte[0]);
                default -> out = splice(out, at, at, java.util.Arrays.copyOfRange(out, at, Math.min(out.length, at + 32)));
            }
        }
        return out;
    }

    private static byte[] splice(byte[] bytes, int from, int to, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bytes, 0, from);
        out.writeBytes(insert);
        out.write(bytes, to, bytes.length - to);
        return out.toByteArray();
    }

    /** The input, then a blank line: a request header must end by then, so the server has to answer. */
    private static byte[] terminated(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes);
        out.writeBytes(ascii("\r\n\r\n"));
        return out.toByteArray();
    }

    private byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    private String randomText(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) (0x20 + random.nextInt(0x5f)));
        }
        return text.toString();
    }

    private String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
