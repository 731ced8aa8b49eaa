package io.visionfleet.ptz.onvif;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * WS-Security UsernameToken with PasswordDigest, as ONVIF devices ask for it:
 * {@code Base64(SHA-1(nonce + created + password))} with a fresh random nonce, and {@code Created} on the device's
 * clock (our clock plus the offset measured with GetSystemDateAndTime), since devices reject tokens created too far
 * from their own time. The password itself never leaves this class. Thread-safe: each header draws its own nonce.
 */
final class UsernameToken {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String username;
    private final char[] password;

    UsernameToken(String username, char[] password) {
        this.username = username;
        this.password = password.clone();
    }

    /** The {@code wsse:Security} header for a token created at {@code createdMs} (device clock, epoch ms). */
    String header(long createdMs) {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String created = Instant.ofEpochMilli(createdMs).truncatedTo(ChronoUnit.MILLIS).toString();
        return new SoapBody()
                .open("wsse:Security", "s:mustUnderstand", "true", "xmlns:wsse", Soap.WSSE, "xmlns:wsu", Soap.WSU)
                .open("wsse:UsernameToken")
                .text("wsse:Username", username)
                .text("wsse:Password", digest(nonce, created, password), "Type", Soap.PASSWORD_DIGEST)
                .text("wsse:Nonce", Base64.getEncoder().encodeToString(nonce), "EncodingType", Soap.BASE64_BINARY)
                .text("wsu:Created", created)
                .xml();
    }

    /** {@code Base64(SHA-1(nonce + created + password))}, the nonce as raw bytes, the others UTF-8. */
    static String digest(byte[] nonce, String created, char[] password) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(nonce);
            sha1.update(created.getBytes(StandardCharsets.UTF_8));
            sha1.update(StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password)));
            return Base64.getEncoder().encodeToString(sha1.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
