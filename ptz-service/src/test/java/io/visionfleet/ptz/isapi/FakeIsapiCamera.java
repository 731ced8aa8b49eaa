package io.visionfleet.ptz.isapi;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local HTTP server that speaks like a Hikvision camera for the driver's test: it enforces Digest (MD5, qop=auth),
 * verifying every response against its own password, records each authenticated request, and answers status and
 * capabilities from fixed XML.
 */
final class FakeIsapiCamera implements AutoCloseable {
    record Request(String method, String path, String body) {
    }

    static final String REALM = "IP Camera(C1234)";
    private static final Pattern PARAM = Pattern.compile("(\\w+)=(?:\"([^\"]*)\"|([^,\\s]+))");

    private final HttpServer server;
    private final String user;
    private final String password;
    final List<Request> accepted = new CopyOnWriteArrayList<>();
    final AtomicInteger hits = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger nonces = new AtomicInteger();
    volatile String statusXml = "<PTZStatus xmlns=\"" + IsapiXml.NS + "\"><AbsoluteHigh><elevation>-150</elevation>"
            + "<azimuth>3450</azimuth><absoluteZoom>25</absoluteZoom></AbsoluteHigh></PTZStatus>";

    FakeIsapiCamera(int port, String user, String password) throws IOException {
        this.user = user;
        this.password = password;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        server.createContext("/", this::handle);
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        hits.incrementAndGet();
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String authorization = ex.getRequestHeaders().getFirst("Authorization");
        if (!valid(authorization, ex.getRequestMethod(), ex.getRequestURI().getRawPath())) {
            if (authorization != null) {
                refused.incrementAndGet();
            }
            ex.getResponseHeaders().add("WWW-Authenticate", "Digest qop=\"auth\", realm=\"" + REALM + "\", nonce=\"n"
                    + nonces.incrementAndGet() + "\", stale=\"FALSE\"");
            reply(ex, 401, "");
            return;
        }
        accepted.add(new Request(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), body));
        String path = ex.getRequestURI().getRawPath();
        if (path.endsWith("/status")) {
            reply(ex, 200, statusXml);
        } else if (path.endsWith("/capabilities")) {
            reply(ex, 200, "<PTZChanelCap><AbsolutePanTiltPositionSpace/><ContinuousPanTiltSpace/><AbsoluteZoomSpace>"
                    + "<ZRange><Min>10</Min><Max>250</Max></ZRange></AbsoluteZoomSpace></PTZChanelCap>");
        } else if (path.contains("/presets/99")) {
            reply(ex, 400, "<ResponseStatus><statusString>Invalid Content</statusString><subStatusCode>badParameters"
                    + "</subStatusCode></ResponseStatus>");
        } else {
            reply(ex, 200, "<ResponseStatus><statusCode>1</statusCode><statusString>OK</statusString></ResponseStatus>");
        }
    }

    /** Checks the client's digest against ours (any nonce we issued). */
    private boolean valid(String header, String method, String uri) {
        if (header == null || !header.startsWith("Digest ")) {
            return false;
        }
        Map<String, String> p = new java.util.HashMap<>();
        Matcher m = PARAM.matcher(header.substring(7));
        while (m.find()) {
            p.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
        }
        if (!user.equals(p.get("username")) || !uri.equals(p.get("uri")) || !"auth".equals(p.get("qop"))) {
            return false;
        }
        String ha1 = DigestAuth.md5(user + ":" + REALM + ":" + password);
        String ha2 = DigestAuth.md5(method + ":" + uri);
        String expected = DigestAuth.md5(ha1 + ":" + p.get("nonce") + ":" + p.get("nc") + ":" + p.get("cnonce") + ":auth:" + ha2);
        return expected.equals(p.get("response"));
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
