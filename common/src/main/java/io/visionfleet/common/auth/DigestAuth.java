package io.visionfleet.common.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client side of Digest authentication (RFC 7616 for HTTP, RFC 2326 for RTSP; MD5, with or without qop=auth), as
 * cameras and relays ask for it. It keeps the server's last challenge so that later requests authenticate at once with
 * an increasing nonce count, instead of two round trips each.
 */
public final class DigestAuth {
    private static final Pattern PARAM = Pattern.compile("(\\w+)=(?:\"([^\"]*)\"|([^,\\s]+))");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A parsed {@code WWW-Authenticate: Digest ...} challenge. */
    public record Challenge(String realm, String nonce, String opaque, String qop, String algorithm, boolean stale) {
        public static Challenge parse(String header) {
            if (header == null || !header.regionMatches(true, 0, "Digest ", 0, 7)) {
                return null;
            }
            Map<String, String> p = new HashMap<>();
            Matcher m = PARAM.matcher(header.substring(7));
            while (m.find()) {
                p.put(m.group(1).toLowerCase(), m.group(2) != null ? m.group(2) : m.group(3));
            }
            if (p.get("realm") == null || p.get("nonce") == null) {
                return null;
            }
            String alg = p.getOrDefault("algorithm", "MD5");
            return new Challenge(p.get("realm"), p.get("nonce"), p.get("opaque"), p.get("qop"), alg,
                    "true".equalsIgnoreCase(p.get("stale")));
        }
    }

    private final String username;
    private final char[] password;
    private Challenge challenge;
    private int nonceCount;

    public DigestAuth(String username, char[] password) {
        this.username = username;
        this.password = password.clone();
    }

    public synchronized void challenge(Challenge c) {
        challenge = c;
        nonceCount = 0;
    }

    public synchronized boolean hasChallenge() {
        return challenge != null;
    }

    /** The {@code Authorization} header for {@code method uri}, or null before the first challenge. */
    public synchronized String header(String method, String uri) {
        if (challenge == null) {
            return null;
        }
        if (!"MD5".equalsIgnoreCase(challenge.algorithm())) {
            throw new IllegalStateException("server asks for digest algorithm " + challenge.algorithm() + "; only MD5 is supported");
        }
        String ha1 = md5(username + ":" + challenge.realm() + ":" + new String(password));
        String ha2 = md5(method + ":" + uri);
        StringBuilder h = new StringBuilder("Digest username=\"").append(username).append("\", realm=\"")
                .append(challenge.realm()).append("\", nonce=\"").append(challenge.nonce()).append("\", uri=\"")
                .append(uri).append("\", algorithm=MD5");
        if (challenge.qop() != null && challenge.qop().contains("auth")) {
            String nc = String.format("%08x", ++nonceCount);
            String cnonce = HexFormat.of().formatHex(randomBytes());
            h.append(", qop=auth, nc=").append(nc).append(", cnonce=\"").append(cnonce).append("\", response=\"")
                    .append(md5(ha1 + ":" + challenge.nonce() + ":" + nc + ":" + cnonce + ":auth:" + ha2)).append('"');
        } else {
            h.append(", response=\"").append(md5(ha1 + ":" + challenge.nonce() + ":" + ha2)).append('"');
        }
        if (challenge.opaque() != null) {
            h.append(", opaque=\"").append(challenge.opaque()).append('"');
        }
        return h.toString();
    }

    public static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return b;
    }
}
