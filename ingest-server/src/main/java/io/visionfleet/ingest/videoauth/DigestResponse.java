package io.visionfleet.ingest.videoauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

import static io.visionfleet.common.auth.DigestAuth.md5;

/**
 * The parameters of an {@code Authorization: Digest ...} header (RFC 7616, MD5 as RTSP clients and cameras use it,
 * with or without {@code qop=auth}).
 */
public record DigestResponse(String username, String realm, String nonce, String uri, String response, String qop,
                             String nc, String cnonce, String algorithm) {

    /** @return null when a required parameter is missing */
    public static DigestResponse of(Map<String, String> params) {
        DigestResponse r = new DigestResponse(params.get("username"), params.get("realm"), params.get("nonce"),
                params.get("uri"), params.get("response"), params.get("qop"), params.get("nc"), params.get("cnonce"),
                params.get("algorithm"));
        boolean complete = r.username != null && r.realm != null && r.nonce != null && r.uri != null && r.response != null
                && (r.qop == null || (r.nc != null && r.cnonce != null));
        return complete ? r : null;
    }

    /** Whether the algorithm is one this server computes (MD5, the default). */
    public boolean supportedAlgorithm() {
        return algorithm == null || algorithm.equalsIgnoreCase("MD5");
    }

    /** Whether this response is the one {@code user} with {@code password} computes for {@code method}; constant time. */
    boolean matches(String user, String password, String method) {
        if (!supportedAlgorithm() || (qop != null && !qop.equalsIgnoreCase("auth"))) {
            return false;
        }
        String ha1 = md5(user + ":" + realm + ":" + password);
        String ha2 = md5(method + ":" + uri);
        String expected = qop == null ? md5(ha1 + ":" + nonce + ":" + ha2)
                : md5(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                response.toLowerCase().getBytes(StandardCharsets.US_ASCII));
    }
}
