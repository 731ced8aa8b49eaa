package io.visionfleet.common.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded source of hostile requests for one {@link FuzzEndpoint}: odd path and query values (traversal, NUL, huge
 * numbers, very long ids), bodies that are random bytes, truncated or malformed JSON, the endpoint's valid body with
 * one value replaced by a wrong type, a huge or non-finite number or a very long string, deeply nested JSON, 20 MB
 * bodies, wrong content types, wrong methods, credentials right, wrong or missing, and stray {@code Range} headers.
 * The same seed gives the same requests.
 */
final class HostileInputs {
    /** Over every service's body limit, so the answer must be 413. */
    static final int HUGE_BODY_BYTES = 20 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MARK = "@@hostile@@";
    private static final List<String> ODD_VALUES = List.of("..", "%2e%2e", "%2E%2E%2F%2E%2E", "..%2F..%2Fetc%2Fpasswd",
            ".", "%00", "a%00b", "%2F", "%5C", "%25", "%ff%fe", "%C3%BC", "%F0%9F%98%80", "%20", "%0D%0A", "-1", "0",
            "2147483648", "9223372036854775808", "-9223372036854775809", "1e309", "NaN", "Infinity", "-0", "0x10",
            "null", "true", "%7B%7D", "%3Cscript%3E", "%27%20or%201%3D1", "CON", "a.", "a..b", "~", "*");
    private static final List<String> WRONG_TYPES = List.of("\"text\"", "[]", "{}", "true", "null", "[1,2,3]",
            "{\"a\":1}", "\"1\"", "0", "-1", "\"\"");
    private static final List<String> HUGE_NUMBERS = List.of("1e400", "-1e400", "123456789012345678901234567890",
            "9223372036854775808", "-9223372036854775809", "2147483648", "4.9e-325", "1" + "0".repeat(2000),
            "0.000000000000000000000000000000000001", "1E+2147483647");
    private static final List<String> NON_FINITE = List.of("NaN", "Infinity", "-Infinity", "\"NaN\"", "\"Infinity\"",
            "\"-Infinity\"", "+Infinity");
    private static final List<String> CONTENT_TYPES = List.of("text/plain", "application/xml", "application/octet-stream",
            "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/json; charset=utf-16",
            ";;;", "application/json; charset=bogus", "*/*");
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH");
    private static final List<String> RANGES = List.of("bytes=0-", "bytes=-1", "bytes=99999999999999999999-",
            "bytes=5-1", "bytes=0-1,2-3", "items=0-1", "bytes=-0", "bytes=" + "9".repeat(200), "bytes=abc");

    /** What is hostile about a request: failures are grouped by it. */
    enum Kind {
        VALID, ODD_PATH, LONG_ID, ODD_QUERY, RANDOM_BYTES, TRUNCATED_JSON, MALFORMED_JSON, WRONG_TYPE, HUGE_NUMBER,
        NON_FINITE, LONG_STRING, DEEP_NESTING, HUGE_BODY, EMPTY_BODY, JSON_LITERAL, WRONG_CONTENT_TYPE, WRONG_METHOD
    }

    /** One request: {@code pathAndQuery} is URL-encoded; {@code body} and {@code contentType} may be null. */
    record Request(FuzzEndpoint endpoint, Kind kind, String method, String pathAndQuery, String contentType,
                   byte[] body, Map<String, String> headers) {
        String describe() {
            String shown = body == null ? "" : " body(" + body.length + " B)="
                    + new String(body, 0, Math.min(body.length, 120), StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", "?");
            String path = pathAndQuery.length() > 200 ? pathAndQuery.substring(0, 200) + "...(" + pathAndQuery.length() + ")" : pathAndQuery;
            return method + " " + path + " [" + kind + ", " + contentType + ", " + headers.keySet() + "]" + shown;
        }
    }

    private final Random random;
    private final Map<String, String> credentials;
    /** Made up front, so that heap measured before the run already holds it. */
    private final byte[] hugeBody = huge();

    /** {@code credentials}: headers a permitted caller sends (a token), sent right, wrong or not at all. */
    HostileInputs(long seed, Map<String, String> credentials) {
        this.random = new Random(seed);
        this.credentials = credentials;
    }

    Request next(FuzzEndpoint endpoint) {
        Kind kind = pickKind(endpoint);
        Map<String, String> params = new LinkedHashMap<>();
        for (String name : endpoint.params()) {
            params.put(name, pathValue(endpoint.real().getOrDefault(name, List.of()), kind));
        }
        StringBuilder path = new StringBuilder(endpoint.path(params));
        for (String name : endpoint.query()) {
            if (random.nextInt(4) > 0) {
                path.append(path.indexOf("?") < 0 ? '?' : '&').append(name).append('=').append(queryValue(kind));
            }
        }
        String method = kind == Kind.WRONG_METHOD ? pick(METHODS) : endpoint.method();
        byte[] body = body(endpoint, kind);
        String contentType = body == null && random.nextBoolean() ? null
                : kind == Kind.WRONG_CONTENT_TYPE ? pick(CONTENT_TYPES) : "application/json";
        return new Request(endpoint, kind, method, path.toString(), contentType, body, headers());
    }

    private Kind pickKind(FuzzEndpoint endpoint) {
        List<Kind> kinds = new ArrayList<>(List.of(Kind.VALID, Kind.ODD_PATH, Kind.LONG_ID, Kind.WRONG_METHOD,
                Kind.RANDOM_BYTES, Kind.WRONG_CONTENT_TYPE));
        if (!endpoint.query().isEmpty()) {
            kinds.addAll(List.of(Kind.ODD_QUERY, Kind.ODD_QUERY));
        }
        if (endpoint.sample() != null) {
            kinds.addAll(List.of(Kind.TRUNCATED_JSON, Kind.MALFORMED_JSON, Kind.WRONG_TYPE, Kind.WRONG_TYPE,
                    Kind.HUGE_NUMBER, Kind.NON_FINITE, Kind.NON_FINITE, Kind.LONG_STRING, Kind.DEEP_NESTING,
                    Kind.EMPTY_BODY, Kind.JSON_LITERAL));
        }
        // a 20 MB body costs 20 MB of traffic: rare, yet a few per endpoint in 10,000 requests
        return random.nextInt(400) == 0 ? Kind.HUGE_BODY : pick(kinds);
    }

    private String pathValue(List<String> real, Kind kind) {
        if (kind == Kind.LONG_ID) {
            return "a".repeat(65 + random.nextInt(random.nextBoolean() ? 200 : 3000));
        }
        boolean odd = kind == Kind.ODD_PATH || random.nextInt(3) == 0;
        if (!odd && !real.isEmpty()) {
            return pick(real);
        }
        return odd ? pick(ODD_VALUES) : encode(randomText(1 + random.nextInt(12)));
    }

    private String queryValue(Kind kind) {
        if (kind != Kind.ODD_QUERY && random.nextBoolean()) {
            return String.valueOf(random.nextInt(3) == 0 ? random.nextInt(100) : System.currentTimeMillis() - random.nextInt(60_000));
        }
        return switch (random.nextInt(4)) {
            case 0 -> encode(randomText(random.nextInt(2000)));
            case 1 -> "";
            default -> pick(ODD_VALUES);
        };
    }

    private byte[] body(FuzzEndpoint endpoint, Kind kind) {
        String sample = endpoint.sample();
        if (sample == null && kind != Kind.RANDOM_BYTES && kind != Kind.HUGE_BODY && kind != Kind.WRONG_CONTENT_TYPE) {
            return null;
        }
        return switch (kind) {
            case RANDOM_BYTES -> randomBytes(random.nextInt(4096));
            case HUGE_BODY -> hugeBody;
            case TRUNCATED_JSON -> utf8(sample.substring(0, random.nextInt(sample.length())));
            case MALFORMED_JSON -> utf8(malformed(sample));
            case WRONG_TYPE -> utf8(replaceOne(sample, pick(WRONG_TYPES)));
            case HUGE_NUMBER -> utf8(replaceOne(sample, pick(HUGE_NUMBERS)));
            case NON_FINITE -> utf8(replaceOne(sample, pick(NON_FINITE)));
            case LONG_STRING -> utf8(replaceOne(sample, "\"" + "x".repeat(10_000 + random.nextInt(2_000_000)) + "\""));
            case DEEP_NESTING -> utf8(nested(100 + random.nextInt(100_000)));
            case EMPTY_BODY -> new byte[0];
            case JSON_LITERAL -> utf8(pick(List.of("null", "0", "\"\"", "[]", "true", "[{}]", "{\"\":null}")));
            default -> sample == null ? null : utf8(sample);
        };
    }

    private Map<String, String> headers() {
        Map<String, String> headers = new HashMap<>();
        int who = random.nextInt(10);
        credentials.forEach((name, value) -> {
            if (who < 7) {
                headers.put(name, value);
            } else if (who < 9) {
                headers.put(name, value + "x");
            }
        });
        if (random.nextInt(10) == 0) {
            headers.put("Range", pick(RANGES));
        }
        return headers;
    }

    /** {@code sample} with one value somewhere in it replaced by the raw JSON text {@code token}. */
    private String replaceOne(String sample, String token) {
        JsonNode tree;
        try {
            tree = JSON.readTree(sample);
        } catch (IOException e) {
            throw new UncheckedIOException("the sample body is not JSON: " + sample, e);
        }
        if (!tree.isContainerNode() || tree.isEmpty()) {
            return token;
        }
        JsonNode node = tree;
        while (true) {
            List<String> keys = new ArrayList<>();
            node.fieldNames().forEachRemaining(keys::add);
            int i = random.nextInt(node.size());
            JsonNode child = node.isArray() ? node.get(i) : node.get(keys.get(i));
            if (!child.isContainerNode() || child.isEmpty() || random.nextInt(3) == 0) {
                if (node.isArray()) {
                    ((ArrayNode) node).set(i, new TextNode(MARK));
                } else {
                    ((ObjectNode) node).set(keys.get(i), new TextNode(MARK));
                }
                return tree.toString().replace("\"" + MARK + "\"", token);
            }
            node = child;
        }
    }

    private String malformed(String sample) {
        char[] breakers = {'{', '}', '[', ']', ',', ':', '"', '\\', '\'', '/', '#', '\u0000', '\uFFFF'};
        StringBuilder s = new StringBuilder(sample);
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            int at = random.nextInt(s.length() + 1);
            if (random.nextBoolean() && at < s.length()) {
                s.deleteCharAt(at);
            } else {
                s.insert(at, breakers[random.nextInt(breakers.length)]);
            }
        }
        return s.toString();
    }

    private String nested(int depth) {
        String open = random.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        return open.repeat(depth) + (random.nextBoolean() ? close.repeat(depth) : "");
    }

    /** A JSON document of {@link #HUGE_BODY_BYTES}: one very long string. */
    private static byte[] huge() {
        byte[] body = new byte[HUGE_BODY_BYTES];
        Arrays.fill(body, (byte) 'x');
        byte[] head = "{\"id\":\"".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, body, 0, head.length);
        body[body.length - 2] = '"';
        body[body.length - 1] = '}';
        return body;
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Any code points, control characters and surrogates included. */
    private String randomText(int n) {
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append((char) (random.nextInt(4) == 0 ? random.nextInt(0x10000) : 32 + random.nextInt(95)));
        }
        return s.toString();
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
