package io.visionfleet.common.api;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;

/**
 * A login's proof that its bearer gave the viewer's or the operator's token, without the token: {@code v1.<role>.<expires
 * epoch ms>.<HMAC-SHA256 of the rest under that role's token>}. Every service holding the same tokens checks it on its
 * own (replicas and the dashboard's proxy keep no session table), and rotating a token ends the tickets made with it.
 */
final class SessionTicket {
    private static final String VERSION = "v1";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private SessionTicket() {
    }

    static String issue(AccessRole role, long expiresAtMillis, byte[] roleToken) {
        String claims = VERSION + "." + role.name().toLowerCase(Locale.ROOT) + "." + expiresAtMillis;
        return claims + "." + ENCODER.encodeToString(mac(roleToken, claims));
    }

    /** What a valid ticket says. */
    record Claims(AccessRole role, long expiresAt) {
    }

    /** The ticket's claims if it is well formed, unexpired at {@code now} and signed with its role's token; else null. */
    static Claims verify(String ticket, long now, byte[] operatorToken, byte[] viewerToken) {
        if (ticket == null) {
            return null;
        }
        String[] parts = ticket.split("\\.", -1);
        if (parts.length != 4 || !VERSION.equals(parts[0])) {
            return null;
        }
        AccessRole role = switch (parts[1]) {
            case "operator" -> AccessRole.OPERATOR;
            case "viewer" -> AccessRole.VIEWER;
            default -> null;
        };
        byte[] key = role == AccessRole.OPERATOR ? operatorToken : role == AccessRole.VIEWER ? viewerToken : null;
        long expires;
        try {
            expires = Long.parseLong(parts[2]);
        } catch (NumberFormatException e) {
            return null;
        }
        if (key == null || expires <= now) {
            return null;
        }
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(parts[3]);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return MessageDigest.isEqual(mac(key, parts[0] + "." + parts[1] + "." + parts[2]), given)
                ? new Claims(role, expires) : null;
    }

    private static byte[] mac(byte[] key, String claims) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(claims.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
