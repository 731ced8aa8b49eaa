package io.visionfleet.ptz.onvif;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A typed builder of the XML the driver sends: elements by prefixed name, attributes as name/value pairs, and every
 * value escaped here, so no caller splices text into markup. A null attribute value or text leaves it out (optional
 * parts of a message).
 */
final class SoapBody {
    private final StringBuilder xml = new StringBuilder();
    private final Deque<String> open = new ArrayDeque<>();

    /** Opens {@code name} with attributes {@code name, value, ...}. */
    SoapBody open(String name, String... attrs) {
        start(name, attrs).append('>');
        open.push(name);
        return this;
    }

    /** {@code <name attrs>text</name>}; nothing when {@code text} is null. */
    SoapBody text(String name, String text, String... attrs) {
        if (text != null) {
            start(name, attrs).append('>').append(esc(text)).append("</").append(name).append('>');
        }
        return this;
    }

    /** {@code <name attrs/>}. */
    SoapBody empty(String name, String... attrs) {
        start(name, attrs).append("/>");
        return this;
    }

    SoapBody close() {
        xml.append("</").append(open.pop()).append('>');
        return this;
    }

    /** The XML, with the elements still open closed. */
    String xml() {
        while (!open.isEmpty()) {
            close();
        }
        return xml.toString();
    }

    private StringBuilder start(String name, String... attrs) {
        if (attrs.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come as name, value pairs");
        }
        xml.append('<').append(name);
        for (int i = 0; i < attrs.length; i += 2) {
            if (attrs[i + 1] != null) {
                xml.append(' ').append(attrs[i]).append("=\"").append(esc(attrs[i + 1])).append('"');
            }
        }
        return xml;
    }

    /** Escapes text for an element's content or an attribute. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
