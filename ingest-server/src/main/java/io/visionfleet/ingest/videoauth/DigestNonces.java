package io.visionfleet.ingest.videoauth;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

/**
 * Digest nonces the server can check without remembering them: the issue time and an HMAC of it under a key made
 * at start-up. A nonce is accepted for {@code lifetime} after it was issued; a restarted server accepts none of
 * the old ones (clients are challenged again, which they handle).
 */
public final class DigestNonces {
    private static final int TIME_BYTES = Long.BYTES;
    private static final int MAC_BYTES = 16;

    private final byte[] key = new byte[32];
    private final long lifetimeMs;

    DigestNonces(Duration lifetime) {
        new SecureRandom().nextBytes(key);
        this.lifetimeMs = lifetime.toMillis();
    }

    /** A fresh nonce. */
    public String issue() {
        return encode(System.currentTimeMillis());
    }

    /** Whether {@code nonce} is one this server issued, within its lifetime. */
    public boolean valid(String nonce) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (raw.length != TIME_BYTES + MAC_BYTES) {
            return false;
        }
        long issued = ByteBuffer.wrap(raw, 0, TIME_BYTES).getLong();
        byte[] mac = new byte[MAC_BYTES];
        System.arraycopy(raw, TIME_BYTES, mac, 0, MAC_BYTES);
        long age = System.currentTimeMillis() - issued;
        return MessageDigest.isEqual(mac, mac(issued)) && age >= -1000 && age <= lifetimeMs;
    }

    private String encode(long issued) {
        ByteBuffer raw = ByteBuffer.allocate(TIME_BYTES + MAC_BYTES);
        raw.putLong(issued).put(mac(issued));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.array());
    }

    private byte[] mac(long issued) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] full = hmac.doFinal(ByteBuffer.allocate(TIME_BYTES).putLong(issued).array());
            byte[] cut = new byte[MAC_BYTES];
            System.arraycopy(full, 0, cut, 0, MAC_BYTES);
            return cut;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
