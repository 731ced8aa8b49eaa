package io.visionfleet.ptz.onvif;

import io.visionfleet.ptz.driver.SafeXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import java.util.ArrayList;
import java.util.List;

/**
 * The SOAP 1.2 envelope (one template for every request) and a namespace-aware, hardened DOM parser (no DTDs, no
 * entities) for the answers, with helpers that find elements by namespace and local name whatever prefixes the
 * device chose.
 */
final class Soap {
    static final String ENV = "http://www.w3.org/2003/05/soap-envelope";
    static final String TT = "http://www.onvif.org/ver10/schema";
    static final String TDS = "http://www.onvif.org/ver10/device/wsdl";
    static final String TRT = "http://www.onvif.org/ver10/media/wsdl";
    static final String TPTZ = "http://www.onvif.org/ver20/ptz/wsdl";
    static final String WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    static final String WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
    static final String PASSWORD_DIGEST =
            "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest";
    static final String BASE64_BINARY =
            "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary";

    private Soap() {
    }

    /** An envelope with an optional header (already serialised) and a body. */
    static String envelope(String header, String body) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><s:Envelope xmlns:s=\"" + ENV + "\" xmlns:tt=\"" + TT
                + "\" xmlns:tds=\"" + TDS + "\" xmlns:trt=\"" + TRT + "\" xmlns:tptz=\"" + TPTZ + "\">"
                + (header == null ? "" : "<s:Header>" + header + "</s:Header>") + "<s:Body>" + body + "</s:Body></s:Envelope>";
    }

    static Document parse(String xml) {
        return SafeXml.parse(xml, true);
    }

    /** The body's first element, or null. */
    static Element body(Document doc) {
        Element env = doc.getDocumentElement();
        if (env == null || !ENV.equals(env.getNamespaceURI()) || !"Envelope".equals(env.getLocalName())) {
            throw new IllegalArgumentException("not a SOAP 1.2 envelope");
        }
        Element body = child(env, ENV, "Body");
        if (body == null) {
            throw new IllegalArgumentException("SOAP envelope without a Body");
        }
        return firstChild(body);
    }

    static Element firstChild(Element parent) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                return e;
            }
        }
        return null;
    }

    /** The first direct child {@code ns:local}, or null. */
    static Element child(Element parent, String ns, String local) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && local.equals(e.getLocalName()) && ns.equals(e.getNamespaceURI())) {
                return e;
            }
        }
        return null;
    }

    /** Direct children {@code ns:local}. */
    static List<Element> children(Element parent, String ns, String local) {
        List<Element> out = new ArrayList<>();
        if (parent == null) {
            return out;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && local.equals(e.getLocalName()) && ns.equals(e.getNamespaceURI())) {
                out.add(e);
            }
        }
        return out;
    }

    /** Follows a path of direct children in one namespace. */
    static Element path(Element parent, String ns, String... locals) {
        Element e = parent;
        for (String l : locals) {
            e = child(e, ns, l);
            if (e == null) {
                return null;
            }
        }
        return e;
    }

    static String text(Element e) {
        return e == null ? null : e.getTextContent().trim();
    }

    static Double number(Element e) {
        String t = text(e);
        if (t == null || t.isEmpty()) {
            return null;
        }
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException ex) {
            return null;
        }
    }

    /** A number attribute ({@code x="0.5"}), or null. */
    static Double attr(Element e, String name) {
        if (e == null || !e.hasAttribute(name)) {
            return null;
        }
        try {
            return Double.parseDouble(e.getAttribute(name).trim());
        } catch (NumberFormatException ex) {
            return null;
        }
    }

    /** A SOAP fault: its code, subcodes' local names outermost first (e.g. {@code InvalidArgVal, NoProfile}), reason. */
    record Fault(String code, List<String> subcodes, String reason) {
        static Fault of(Element body) {
            if (body == null || !ENV.equals(body.getNamespaceURI()) || !"Fault".equals(body.getLocalName())) {
                return null;
            }
            Element code = child(body, ENV, "Code");
            String value = localName(text(child(code, ENV, "Value")));
            List<String> subs = new ArrayList<>();
            for (Element s = child(code, ENV, "Subcode"); s != null; s = child(s, ENV, "Subcode")) {
                subs.add(localName(text(child(s, ENV, "Value"))));
            }
            String text = text(child(child(body, ENV, "Reason"), ENV, "Text"));
            return new Fault(value, List.copyOf(subs), text == null || text.isEmpty() ? null : text);
        }

        private static String localName(String qname) {
            if (qname == null) {
                return "?";
            }
            int colon = qname.indexOf(':');
            return colon < 0 ? qname : qname.substring(colon + 1);
        }

        boolean notAuthorized() {
            return subcodes.contains("NotAuthorized") || subcodes.contains("FailedAuthentication")
                    || subcodes.contains("InvalidSecurity");
        }

        boolean actionNotSupported() {
            return subcodes.contains("ActionNotSupported");
        }

        @Override
        public String toString() {
            return (reason == null ? "no reason given" : reason) + " (" + code
                    + (subcodes.isEmpty() ? "" : "/" + String.join("/", subcodes)) + ")";
        }
    }
}
