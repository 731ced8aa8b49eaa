package io.visionfleet.ingest.videoauth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An {@code Authorization} header value (RFC 7235 syntax): {@code Basic <base64 user:password>} or
 * {@code Digest name=value, name="quoted value", ...}. Parsing is bounded by the header's length, which the
 * relay's and HTTP server's request limits bound.
 */
public sealed interface Authorization {
    /** User name and password from a Basic header (or another source of plain credentials). */
    record Basic(String user, String password) implements Authorization {
        @Override
        public String toString() {
            return "Basic[user=" + user + "]"; // never the password
        }
    }

    /** A Digest header. */
    record Digest(DigestResponse response) implements Authorization {
    }

    /** A header this server cannot use: unknown scheme or malformed. */
    record Unusable(String why) implements Authorization {
    }

    /** @return null when {@code header} is null or blank */
    static Authorization parse(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        int space = value.indexOf(' ');
        String scheme = (space < 0 ? value : value.substring(0, space)).toLowerCase(Locale.ROOT);
        String rest = space < 0 ? "" : value.substring(space + 1).trim();
        return switch (scheme) {
            case "basic" -> basic(rest);
            case "digest" -> {
                DigestResponse response = DigestResponse.of(parameters(rest));
                yield response == null ? new Unusable("incomplete Digest credentials") : new Digest(response);
            }
            default -> new Unusable("unsupported authorization scheme");
        };
    }

    static Authorization basic(String token) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return new Unusable("Basic credentials are not base64");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return new Unusable("Basic credentials hold no ':'");
        }
        return new Basic(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    /** {@code name=value} pairs separated by commas; values are tokens or quoted strings with backslash escapes. */
    static Map<String, String> parameters(String text) {
        Map<String, String> params = new LinkedHashMap<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && (text.charAt(i) == ',' || Character.isWhitespace(text.charAt(i)))) {
                i++;
            }
            int nameStart = i;
            while (i < n && text.charAt(i) != '=' && text.charAt(i) != ',') {
                i++;
            }
            String name = text.substring(nameStart, i).trim().toLowerCase(Locale.ROOT);
            if (i >= n || text.charAt(i) != '=') {
                continue;
            }
            i++;
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && text.charAt(i) == '"') {
                i++;
                while (i < n && text.charAt(i) != '"') {
                    if (text.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    value.append(text.charAt(i++));
                }
                i++; // closing quote
            } else {
                while (i < n && text.charAt(i) != ',') {
                    value.append(text.charAt(i++));
                }
            }
            if (!name.isEmpty()) {
                params.putIfAbsent(name, value.toString().trim());
            }
        }
        return params;
    }
}
