package io.visionfleet.ptz.isapi;

import io.visionfleet.ptz.driver.SafeXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;


/** The ISAPI XML bodies the driver sends, and a hardened parser for what cameras answer (no DTDs, no entities). */
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
}
