package io.visionfleet.ptz.onvif;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * A local ONVIF device for the driver's tests: device, media and PTZ services on one HTTP server, answering in the
 * form of the ONVIF specification's message examples (SOAP 1.2 envelopes, tds/trt/tptz/tt namespaces, ter faults).
 * Every call but GetSystemDateAndTime must carry a WS-Security UsernameToken digest, checked against its own password
 * and its own clock (which may be set off from ours), with replayed nonces refused. It keeps a position that moves
 * follow, and presets.
 */
final class FakeOnvifDevice implements AutoCloseable {
    /** An authenticated call: operation (body element's local name) and the request body's XML. */
    record Call(String service, String op, Element body) {
        String attr(String local, String name) {
            Element e = (Element) body.getElementsByTagNameNS("*", local).item(0);
            return e == null ? null : e.getAttribute(name);
        }

        String text(String local) {
            Node n = body.getElementsByTagNameNS("*", local).item(0);
            return n == null ? null : n.getTextContent().trim();
        }
    }

    static final String ENV = "http://www.w3.org/2003/05/soap-envelope";
    static final String WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    static final String WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
    private static final String NS = "xmlns:env=\"" + ENV + "\" xmlns:tt=\"http://www.onvif.org/ver10/schema\""
            + " xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\" xmlns:trt=\"http://www.onvif.org/ver10/media/wsdl\""
            + " xmlns:tptz=\"http://www.onvif.org/ver20/ptz/wsdl\" xmlns:ter=\"http://www.onvif.org/ver10/error\"";
    private static final String GENERIC = "http://www.onvif.org/ver10/tptz/";

    private final HttpServer server;
    private final String user;
    private final String password;
    /** Our clock, epoch ms. */
    private final LongSupplier clockMs;
    /** Device clock minus ours. */
    volatile long clockOffsetMs;
    /** Whether the node lists absolute position spaces (and accepts AbsoluteMove). */
    final boolean absolute;
    /** Whether GetServices is implemented (else ter:ActionNotSupported, as on older devices). */
    volatile boolean getServices = true;
    /** Once false, the PTZ profile is gone (the next call naming it gets ter:NoProfile). */
    volatile boolean profileExists = true;
    /** The host the device reports in its XAddrs (its LAN address, not the one we reach it by). */
    volatile String reportedHost = "192.168.1.64";
    final List<Call> calls = new CopyOnWriteArrayList<>();
    final AtomicInteger hits = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    private final Set<String> nonces = ConcurrentHashMap.newKeySet();
    final Map<String, String> presets = new LinkedHashMap<>();
    private final AtomicInteger presetTokens = new AtomicInteger(100);
    volatile double x = -0.25;
    volatile double y = 0.1;
    volatile double zoom = 0.5;
    volatile boolean moving;
    /** While set, GetStatus answers only once it opens (a slow status poll); {@link #statusHeld} counts those held. */
    volatile CountDownLatch statusGate;
    final AtomicInteger statusHeld = new AtomicInteger();
    private final ExecutorService handlers = Executors.newCachedThreadPool();

    FakeOnvifDevice(String user, String password, boolean absolute, LongSupplier clockMs) throws IOException {
        this.user = user;
        this.password = password;
        this.clockMs = clockMs;
        this.absolute = absolute;
        presets.put("1", "Home");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/onvif/", this::handle);
        server.setExecutor(handlers); // requests are answered side by side, as a camera does
        server.start();
    }

    String deviceUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/onvif/device_service";
    }

    List<String> ops() {
        return calls.stream().map(Call::op).toList();
    }

    Call last(String op) {
        for (int i = calls.size() - 1; i >= 0; i--) {
            if (calls.get(i).op().equals(op)) {
                return calls.get(i);
            }
        }
        throw new AssertionError("no " + op + " in " + ops());
    }

    private void handle(HttpExchange ex) throws IOException {
        hits.incrementAndGet();
        String service = ex.getRequestURI().getPath().substring("/onvif/".length());
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(ex.getRequestBody().readAllBytes()));
        } catch (Exception e) {
            reply(ex, 400, fault("env:Sender", List.of("ter:WellFormed"), "Not well formed"));
            return;
        }
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        Element env = doc.getDocumentElement();
        if (contentType == null || !contentType.startsWith("application/soap+xml") || !ENV.equals(env.getNamespaceURI())) {
            reply(ex, 400, fault("env:VersionMismatch", List.of(), "SOAP 1.2 expected"));
            return;
        }
        Element body = first(env, ENV, "Body");
        Element request = body == null ? null : firstElement(body);
        if (request == null) {
            reply(ex, 400, fault("env:Sender", List.of("ter:InvalidArgVal"), "Empty body"));
            return;
        }
        String op = request.getLocalName();
        if (!op.equals("GetSystemDateAndTime") && !authenticated(first(env, ENV, "Header"))) {
            refused.incrementAndGet();
            reply(ex, 400, fault("env:Sender", List.of("ter:NotAuthorized"), "Sender not Authorized"));
            return;
        }
        if (!op.equals("GetSystemDateAndTime")) {
            calls.add(new Call(service, op, request));
        }
        CountDownLatch gate = statusGate;
        if (op.equals("GetStatus") && gate != null) {
            statusHeld.incrementAndGet();
            await(gate);
        }
        String answer = answer(op, request);
        if (answer.startsWith("<env:Fault>")) {
            reply(ex, answer.contains("env:Receiver") ? 500 : 400, "<env:Envelope " + NS + "><env:Body>" + answer
                    + "</env:Body></env:Envelope>");
        } else {
            reply(ex, 200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><env:Envelope " + NS + "><env:Body>" + answer
                    + "</env:Body></env:Envelope>");
        }
    }

    private String answer(String op, Element req) {
        String profile = text(req, "ProfileToken");
        if (profile != null && (!profile.equals("Profile_2") || !profileExists)) {
            return faultBody("env:Sender", List.of("ter:InvalidArgVal", "ter:NoProfile"),
                    "The requested profile token ProfileToken does not exist.");
        }
        return switch (op) {
            case "GetSystemDateAndTime" -> systemDateAndTime();
            case "GetServices" -> getServices ? "<tds:GetServicesResponse>"
                    + service("http://www.onvif.org/ver10/device/wsdl", "device_service")
                    + service("http://www.onvif.org/ver10/media/wsdl", "media_service")
                    + service("http://www.onvif.org/ver20/ptz/wsdl", "ptz_service") + "</tds:GetServicesResponse>"
                    : faultBody("env:Receiver", List.of("ter:ActionNotSupported"), "Optional Action Not Implemented");
            case "GetCapabilities" -> "<tds:GetCapabilitiesResponse><tds:Capabilities><tt:Device><tt:XAddr>"
                    + xaddr("device_service") + "</tt:XAddr></tt:Device><tt:Media><tt:XAddr>" + xaddr("media_service")
                    + "</tt:XAddr><tt:StreamingCapabilities><tt:RTPMulticast>false</tt:RTPMulticast><tt:RTP_TCP>true"
                    + "</tt:RTP_TCP><tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP></tt:StreamingCapabilities></tt:Media><tt:PTZ>"
                    + "<tt:XAddr>" + xaddr("ptz_service") + "</tt:XAddr></tt:PTZ></tds:Capabilities>"
                    + "</tds:GetCapabilitiesResponse>";
            case "GetProfiles" -> "<trt:GetProfilesResponse>"
                    + "<trt:Profiles fixed=\"true\" token=\"Profile_1\"><tt:Name>fixed view</tt:Name></trt:Profiles>"
                    + "<trt:Profiles fixed=\"true\" token=\"Profile_2\"><tt:Name>mainStream</tt:Name>"
                    + "<tt:PTZConfiguration token=\"PTZConfig_1\"><tt:Name>PTZ</tt:Name><tt:UseCount>1</tt:UseCount>"
                    + "<tt:NodeToken>PTZNode_1</tt:NodeToken>"
                    + (absolute ? "<tt:DefaultAbsolutePantTiltPositionSpace>" + GENERIC + "PanTiltSpaces/PositionGenericSpace"
                    + "</tt:DefaultAbsolutePantTiltPositionSpace>" : "")
                    + "<tt:DefaultContinuousPanTiltVelocitySpace>" + GENERIC + "PanTiltSpaces/VelocityGenericSpace"
                    + "</tt:DefaultContinuousPanTiltVelocitySpace><tt:DefaultPTZTimeout>PT5S</tt:DefaultPTZTimeout>"
                    + "</tt:PTZConfiguration></trt:Profiles></trt:GetProfilesResponse>";
            case "GetNodes" -> "<tptz:GetNodesResponse>"
                    + "<tptz:PTZNode token=\"PTZNode_0\" FixedHomePosition=\"false\"><tt:Name>auxiliary</tt:Name>"
                    + "<tt:SupportedPTZSpaces/><tt:MaximumNumberOfPresets>0</tt:MaximumNumberOfPresets>"
                    + "<tt:HomeSupported>false</tt:HomeSupported></tptz:PTZNode>"
                    + "<tptz:PTZNode token=\"PTZNode_1\" FixedHomePosition=\"false\"><tt:Name>PTZ</tt:Name>"
                    + "<tt:SupportedPTZSpaces>"
                    + (absolute ? space2("AbsolutePanTiltPositionSpace", "PanTiltSpaces/PositionGenericSpace", -1, 1)
                    + space1("AbsoluteZoomPositionSpace", "ZoomSpaces/PositionGenericSpace", 0, 1) : "")
                    + space2("RelativePanTiltTranslationSpace", "PanTiltSpaces/TranslationGenericSpace", -1, 1)
                    + space1("RelativeZoomTranslationSpace", "ZoomSpaces/TranslationGenericSpace", -1, 1)
                    + space2("ContinuousPanTiltVelocitySpace", "PanTiltSpaces/VelocityGenericSpace", -1, 1)
                    + space1("ContinuousZoomVelocitySpace", "ZoomSpaces/VelocityGenericSpace", -1, 1)
                    + space1("PanTiltSpeedSpace", "PanTiltSpaces/GenericSpeedSpace", 0, 1)
                    + space1("ZoomSpeedSpace", "ZoomSpaces/ZoomGenericSpeedSpace", 0, 1)
                    + "</tt:SupportedPTZSpaces><tt:MaximumNumberOfPresets>8</tt:MaximumNumberOfPresets>"
                    + "<tt:HomeSupported>true</tt:HomeSupported></tptz:PTZNode></tptz:GetNodesResponse>";
            case "ContinuousMove" -> {
                moving = true;
                yield "<tptz:ContinuousMoveResponse/>";
            }
            case "Stop" -> {
                moving = false;
                yield "<tptz:StopResponse/>";
            }
            case "AbsoluteMove" -> {
                if (!absolute) {
                    yield faultBody("env:Sender", List.of("ter:InvalidArgVal", "ter:SpaceNotSupported"),
                            "A space is referenced in an argument which is not supported by the PTZ Node.");
                }
                double nx = num(req, "PanTilt", "x");
                double ny = num(req, "PanTilt", "y");
                if (Math.abs(nx) > 1 || Math.abs(ny) > 1) {
                    yield faultBody("env:Sender", List.of("ter:InvalidArgVal", "ter:InvalidPosition"),
                            "The requested position is out of bounds.");
                }
                x = nx;
                y = ny;
                zoom = num(req, "Zoom", "x");
                yield "<tptz:AbsoluteMoveResponse/>";
            }
            case "RelativeMove" -> {
                x = Math.max(-1, Math.min(1, x + num(req, "PanTilt", "x")));
                y = Math.max(-1, Math.min(1, y + num(req, "PanTilt", "y")));
                Element z = (Element) req.getElementsByTagNameNS("*", "Zoom").item(0);
                if (z != null) {
                    zoom = Math.max(0, Math.min(1, zoom + Double.parseDouble(z.getAttribute("x"))));
                }
                yield "<tptz:RelativeMoveResponse/>";
            }
            case "GetStatus" -> "<tptz:GetStatusResponse><tptz:PTZStatus><tt:Position>"
                    + "<tt:PanTilt x=\"" + x + "\" y=\"" + y + "\" space=\"" + GENERIC + "PanTiltSpaces/PositionGenericSpace\"/>"
                    + "<tt:Zoom x=\"" + zoom + "\" space=\"" + GENERIC + "ZoomSpaces/PositionGenericSpace\"/></tt:Position>"
                    + "<tt:MoveStatus><tt:PanTilt>" + (moving ? "MOVING" : "IDLE") + "</tt:PanTilt><tt:Zoom>IDLE</tt:Zoom>"
                    + "</tt:MoveStatus><tt:UtcTime>" + Instant.ofEpochMilli(deviceNow()) + "</tt:UtcTime></tptz:PTZStatus>"
                    + "</tptz:GetStatusResponse>";
            case "GetPresets" -> {
                StringBuilder b = new StringBuilder("<tptz:GetPresetsResponse>");
                synchronized (presets) {
                    presets.forEach((token, name) -> b.append("<tptz:Preset token=\"").append(token).append("\"><tt:Name>")
                            .append(name).append("</tt:Name></tptz:Preset>"));
                }
                yield b.append("</tptz:GetPresetsResponse>").toString();
            }
            case "SetPreset" -> {
                String token = text(req, "PresetToken");
                synchronized (presets) {
                    if (token != null && !presets.containsKey(token)) {
                        yield faultBody("env:Sender", List.of("ter:InvalidArgVal", "ter:NoToken"),
                                "The requested preset token does not exist.");
                    }
                    if (token == null) {
                        token = "T" + presetTokens.incrementAndGet();
                    }
                    presets.put(token, text(req, "PresetName"));
                }
                yield "<tptz:SetPresetResponse><tptz:PresetToken>" + token + "</tptz:PresetToken></tptz:SetPresetResponse>";
            }
            case "GotoPreset" -> {
                synchronized (presets) {
                    if (!presets.containsKey(text(req, "PresetToken"))) {
                        yield faultBody("env:Sender", List.of("ter:InvalidArgVal", "ter:NoToken"),
                                "The requested preset token does not exist.");
                    }
                }
                yield "<tptz:GotoPresetResponse/>";
            }
            default -> faultBody("env:Receiver", List.of("ter:ActionNotSupported"), "Optional Action Not Implemented");
        };
    }

    long deviceNow() {
        return clockMs.getAsLong() + clockOffsetMs;
    }

    private String systemDateAndTime() {
        ZonedDateTime t = Instant.ofEpochMilli(deviceNow()).atZone(ZoneOffset.UTC);
        return "<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>Manual</tt:DateTimeType>"
                + "<tt:DaylightSavings>false</tt:DaylightSavings><tt:TimeZone><tt:TZ>CST-8</tt:TZ></tt:TimeZone>"
                + "<tt:UTCDateTime><tt:Time><tt:Hour>" + t.getHour() + "</tt:Hour><tt:Minute>" + t.getMinute()
                + "</tt:Minute><tt:Second>" + t.getSecond() + "</tt:Second></tt:Time><tt:Date><tt:Year>" + t.getYear()
                + "</tt:Year><tt:Month>" + t.getMonthValue() + "</tt:Month><tt:Day>" + t.getDayOfMonth()
                + "</tt:Day></tt:Date></tt:UTCDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>";
    }

    /** Username, digest against our password, Created within 5 s of our clock, nonce never seen before. */
    private boolean authenticated(Element header) {
        Element security = header == null ? null : first(header, WSSE, "Security");
        Element token = security == null ? null : first(security, WSSE, "UsernameToken");
        if (token == null) {
            return false;
        }
        Element name = first(token, WSSE, "Username");
        Element pass = first(token, WSSE, "Password");
        Element nonce = first(token, WSSE, "Nonce");
        Element created = first(token, WSU, "Created");
        if (name == null || pass == null || nonce == null || created == null || !user.equals(name.getTextContent().trim())
                || !pass.getAttribute("Type").endsWith("#PasswordDigest")) {
            return false;
        }
        try {
            byte[] n = Base64.getDecoder().decode(nonce.getTextContent().trim());
            String c = created.getTextContent().trim();
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(n);
            sha1.update(c.getBytes(StandardCharsets.UTF_8));
            sha1.update(password.getBytes(StandardCharsets.UTF_8));
            String expected = Base64.getEncoder().encodeToString(sha1.digest());
            long skew = Math.abs(Instant.parse(c).toEpochMilli() - deviceNow());
            return expected.equals(pass.getTextContent().trim()) && skew <= 5000 && nonces.add(nonce.getTextContent().trim());
        } catch (Exception e) {
            return false;
        }
    }

    private String xaddr(String service) {
        return "http://" + reportedHost + "/onvif/" + service;
    }

    private String service(String ns, String path) {
        return "<tds:Service><tds:Namespace>" + ns + "</tds:Namespace><tds:XAddr>" + xaddr(path) + "</tds:XAddr>"
                + "<tds:Version><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tds:Version></tds:Service>";
    }

    private static String range(String axis, double min, double max) {
        return "<tt:" + axis + "><tt:Min>" + min + "</tt:Min><tt:Max>" + max + "</tt:Max></tt:" + axis + ">";
    }

    private static String space2(String element, String uri, double min, double max) {
        return "<tt:" + element + "><tt:URI>" + GENERIC + uri + "</tt:URI>" + range("XRange", min, max)
                + range("YRange", min, max) + "</tt:" + element + ">";
    }

    private static String space1(String element, String uri, double min, double max) {
        return "<tt:" + element + "><tt:URI>" + GENERIC + uri + "</tt:URI>" + range("XRange", min, max) + "</tt:" + element + ">";
    }

    private static String faultBody(String code, List<String> subcodes, String reason) {
        StringBuilder b = new StringBuilder("<env:Fault><env:Code><env:Value>").append(code).append("</env:Value>");
        for (String s : subcodes) {
            b.append("<env:Subcode><env:Value>").append(s).append("</env:Value>");
        }
        b.append("</env:Subcode>".repeat(subcodes.size()));
        return b.append("</env:Code><env:Reason><env:Text xml:lang=\"en\">").append(reason)
                .append("</env:Text></env:Reason></env:Fault>").toString();
    }

    private static String fault(String code, List<String> subcodes, String reason) {
        return "<env:Envelope " + NS + "><env:Body>" + faultBody(code, subcodes, reason) + "</env:Body></env:Envelope>";
    }

    private static double num(Element req, String local, String attr) {
        Element e = (Element) req.getElementsByTagNameNS("*", local).item(0);
        return Double.parseDouble(e.getAttribute(attr));
    }

    private static String text(Element req, String local) {
        Node n = req.getElementsByTagNameNS("*", local).item(0);
        return n == null ? null : n.getTextContent().trim();
    }

    private static Element first(Element parent, String ns, String local) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && local.equals(e.getLocalName()) && ns.equals(e.getNamespaceURI())) {
                return e;
            }
        }
        return null;
    }

    private static Element firstElement(Element parent) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                return e;
            }
        }
        return null;
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/soap+xml; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    private static void await(CountDownLatch gate) {
        try {
            if (!gate.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never opened the gate");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
