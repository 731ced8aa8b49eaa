package io.visionfleet.ptz.isapi;

import io.visionfleet.ptz.driver.SafeXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;


/**
 * The ISAPI XML bodies the driver sends, a hardened parser for what cameras answer (no DTDs, no entities) and the
 * reading of their {@code ResponseStatus}.
 */
final class IsapiXml {
    static final String NS = "http://www.hikvision.com/ver20/XMLSchema";

    private IsapiXml() {
    }

    static String continuous(int pan, int tilt, int zoom) {
        return "<PTZData xmlns=\"" + NS + "\"><pan>" + pan + "</pan><tilt>" + tilt + "</tilt><zoom>" + zoom
                + "</zoom></PTZData>";
    }

    static String momentary(int pan, int tilt, int zoom, long durationMs) {
        return "<PTZData xmlns=\"" + NS + "\"><pan>" + pan + "</pan><tilt>" + tilt + "</tilt><zoom>" + zoom
                + "</zoom><Momentary><duration>" + durationMs + "</duration></Momentary></PTZData>";
    }

    static String absolute(int elevation, int azimuth, int absoluteZoom) {
        return "<PTZData xmlns=\"" + NS + "\"><AbsoluteHigh><elevation>" + elevation + "</elevation><azimuth>" + azimuth
                + "</azimuth><absoluteZoom>" + absoluteZoom + "</absoluteZoom></AbsoluteHigh></PTZData>";
    }

    static String preset(int n) {
        return "<PTZPreset xmlns=\"" + NS + "\"><id>" + n + "</id><presetName>preset " + n + "</presetName></PTZPreset>";
    }

    static Document parse(String xml) {
        return SafeXml.parse(xml, false);
    }

    /** The number in the first element {@code name} under {@code parent} (any depth), or null. */
    static Double number(Element parent, String name) {
        NodeList nodes = parent.getElementsByTagName(name);
        if (nodes.getLength() == 0) {
            return null;
        }
        try {
            return Double.parseDouble(nodes.item(0).getTextContent().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Element first(Element parent, String name) {
        NodeList nodes = parent.getElementsByTagName(name);
        return nodes.getLength() == 0 ? null : (Element) nodes.item(0);
    }

    /**
     * The camera's own explanation ({@code ResponseStatus}: statusString, subStatusCode, statusCode) when it sent
     * one.
     */
    static String statusString(String body) {
        try {
            Element root = parse(body).getDocumentElement();
            Element s = first(root, "subStatusCode");
            Element t = first(root, "statusString");
            Element c = first(root, "statusCode");
            return (t == null ? "" : t.getTextContent().trim()) + (s == null ? "" : " (" + s.getTextContent().trim() + ")")
                    + (c == null ? "" : ", statusCode " + c.getTextContent().trim());
        } catch (IllegalArgumentException e) {
            return body.length() > 200 ? body.substring(0, 200) : body;
        }
    }

    /** A {@code ResponseStatus} whose statusCode is neither 1 (OK) nor 7 (Reboot Required: done, applies later). */
    static boolean failedStatus(String body) {
        if (body == null || !body.contains("ResponseStatus")) {
            return false;
        }
        try {
            Element root = parse(body).getDocumentElement();
            if (!"ResponseStatus".equals(root.getTagName())) {
                return false;
            }
            Double code = number(root, "statusCode");
            return code != null && code != 1 && code != 7;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
