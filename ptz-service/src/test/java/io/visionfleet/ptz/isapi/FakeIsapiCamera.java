package io.visionfleet.ptz.isapi;

import io.visionfleet.common.auth.DigestAuth;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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
    /** Uses of each nonce issued (a nonce we never issued is invalid). */
    private final Map<String, AtomicInteger> nonceUses = new java.util.concurrent.ConcurrentHashMap<>();
    /** A nonce used more often than this is stale: 401 with {@code stale=TRUE} and a new nonce. */
    volatile int nonceLifetime = Integer.MAX_VALUE;
    /** Stale answers sent. */
    final AtomicInteger staleAnswers = new AtomicInteger();
    /** The {@code qop} offered in challenges. */
    volatile String qop = "auth";
    /** Whether a {@code WWW-Authenticate: Basic} challenge comes before the Digest one. */
    volatile boolean basicFirst;
    /** Answers by path suffix overriding the defaults: HTTP status and body. */
    final Map<String, Map.Entry<Integer, String>> answers = new java.util.concurrent.ConcurrentHashMap<>();
    /** While set, status answers only once it opens (a slow status poll); {@link #statusHeld} counts those held. */
    volatile CountDownLatch statusGate;
    final AtomicInteger statusHeld = new AtomicInteger();
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    volatile String capabilitiesXml = "<PTZChanelCap><AbsolutePanTiltPositionSpace/><ContinuousPanTiltSpace/><AbsoluteZoomSpace>"
            + "<ZRange><Min>10</Min><Max>250</Max></ZRange></AbsoluteZoomSpace></PTZChanelCap>";
    volatile String statusXml = "<PTZStatus xmlns=\"" + IsapiXml.NS + "\"><AbsoluteHigh><elevation>-150</elevation>"
            + "<azimuth>3450</azimuth><absoluteZoom>25</absoluteZoom></AbsoluteHigh></PTZStatus>";

    FakeIsapiCamera(int port, String user, String password) throws IOException {
        this.user = user;
        this.password = password;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        server.createContext("/", this::handle);
        server.setExecutor(handlers); // requests are answered side by side, as a camera does
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        hits.incrementAndGet();
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String authorization = ex.getRequestHeaders().getFirst("Authorization");
        String path = ex.getRequestURI().getRawPath();
        Boolean fresh = valid(authorization, ex.getRequestMethod(), path);
        if (fresh == null || !fresh) {
            if (authorization != null && fresh == null) {
                refused.incrementAndGet();
            }
            if (fresh != null) {
                staleAnswers.incrementAndGet();
            }
            String nonce = "n" + nonces.incrementAndGet();
            nonceUses.put(nonce, new AtomicInteger());
            if (basicFirst) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
            }
            ex.getResponseHeaders().add("WWW-Authenticate", "Digest qop=\"" + qop + "\", realm=\"" + REALM + "\", nonce=\""
                    + nonce + "\", stale=\"" + (fresh != null ? "TRUE" : "FALSE") + "\"");
            reply(ex, 401, "");
            return;
        }
        accepted.add(new Request(ex.getRequestMethod(), path, body));
        for (Map.Entry<String, Map.Entry<Integer, String>> a : answers.entrySet()) {
            if (path.endsWith(a.getKey())) {
                reply(ex, a.getValue().getKey(), a.getValue().getValue());
                return;
            }
        }
        CountDownLatch gate = statusGate;
        if (path.endsWith("/status") && gate != null) {
            statusHeld.incrementAndGet();
            if (!await(gate)) {
                reply(ex, 503, "");
                return;
            }
        }
        if (path.endsWith("/status")) {
            reply(ex, 200, statusXml);
        } else if (path.endsWith("/capabilities")) {
            reply(ex, 200, capabilitiesXml);
        } else if (path.contains("/presets/99")) {
            reply(ex, 400, "<ResponseStatus><statusString>Invalid Content</statusString><subStatusCode>badParameters"
                    + "</subStatusCode></ResponseStatus>");
        } else {
            reply(ex, 200, "<ResponseStatus><statusCode>1</statusCode><statusString>OK</statusString></ResponseStatus>");
        }
    }

    /**
     * Checks the client's digest against ours: true when right with a nonce we issued and that is still fresh, false
     * when right but with a stale nonce (used up, or one we never issued), null when missing or wrong.
     */
    private Boolean valid(String header, String method, String uri) {
        if (header == null || !header.startsWith("Digest ")) {
            return null;
        }
        Map<String, String> p = new java.util.HashMap<>();
        Matcher m = PARAM.matcher(header.substring(7));
        while (m.find()) {
            p.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
        }
        if (!user.equals(p.get("username")) || !uri.equals(p.get("uri")) || !"auth".equals(p.get("qop"))
                || !REALM.equals(p.get("realm"))) {
            return null;
        }
        String ha1 = DigestAuth.md5(user + ":" + REALM + ":" + password);
        String ha2 = DigestAuth.md5(method + ":" + uri);
        String expected = DigestAuth.md5(ha1 + ":" + p.get("nonce") + ":" + p.get("nc") + ":" + p.get("cnonce") + ":auth:" + ha2);
        if (!expected.equals(p.get("response"))) {
            return null;
        }
        AtomicInteger uses = nonceUses.get(p.get("nonce"));
        return uses != null && uses.incrementAndGet() <= nonceLifetime;
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }

    private static boolean await(CountDownLatch gate) {
        try {
            return gate.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
