package io.visionfleet.ingest.relay;

import io.visionfleet.ingest.videoauth.Authorization;
import io.visionfleet.ingest.videoauth.DigestResponse;
import io.visionfleet.ingest.videoauth.VideoAccess;
import io.visionfleet.ingest.videoauth.VideoAction;
import io.visionfleet.ingest.videoauth.VideoAuthConfig;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether an RTSP request's {@code Authorization} header lets it read a stream, in the schemes the relay
 * offers (Digest, Basic), and writes the challenges of a 401. One per connection: a Digest nonce issued on a
 * connection stays valid there for the connection's life, so a long session never has to re-authenticate.
 */
final class ReadAuthenticator {
    /** @param stale the credentials were right but their nonce expired or came from elsewhere: retry at once */
    record Verdict(VideoAccess.Decision decision, boolean stale) {
    }

    private final VideoAccess access;
    private final String defaultAuthority;
    /** The Digest nonce last issued on this connection. */
    private String connectionNonce;

    /** @param defaultAuthority host and port of the relay, for request URIs that are only a path */
    ReadAuthenticator(VideoAccess access, String defaultAuthority) {
        this.access = access;
        this.defaultAuthority = defaultAuthority;
    }

    /**
     * @param authorization the request's {@code Authorization} header, null when none
     * @param method        the request's method, which a Digest response covers
     */
    Verdict check(String authorization, String method, String stream, InetAddress peer) {
        Authorization presented = access.configured() ? Authorization.parse(authorization) : null;
        if (presented instanceof Authorization.Basic basic && offers(VideoAuthConfig.Scheme.BASIC)) {
            return new Verdict(access.check(VideoAction.READ, stream, peer, basic.user(), basic.password()), false);
        }
        if (presented instanceof Authorization.Digest digest && offers(VideoAuthConfig.Scheme.DIGEST)) {
            VideoAccess.Decision decision = digest(digest.response(), method, stream, peer);
            if (decision.outcome() != VideoAccess.Outcome.WRONG && !knownNonce(digest.response().nonce())) {
                // right credentials on an expired or foreign nonce: challenge again, the client retries at once
                return new Verdict(new VideoAccess.Decision(VideoAccess.Outcome.MISSING, null, "stale nonce"), true);
            }
            return new Verdict(decision, false);
        }
        if (presented != null) {
            return new Verdict(new VideoAccess.Decision(VideoAccess.Outcome.WRONG, null,
                    "credentials in a scheme this relay does not take; it offers " + access.rtspSchemes()), false);
        }
        return new Verdict(access.check(VideoAction.READ, stream, peer, null, null), false);
    }

    /** The {@code WWW-Authenticate} values of a 401, one per offered scheme; a Digest one carries a fresh nonce. */
    List<String> challenges(boolean stale) {
        String realm = "realm=\"" + access.realm() + "\"";
        List<String> challenges = new ArrayList<>();
        for (VideoAuthConfig.Scheme scheme : access.rtspSchemes()) {
            if (scheme == VideoAuthConfig.Scheme.DIGEST) {
                connectionNonce = access.nonces().issue();
                challenges.add("Digest " + realm + ", nonce=\"" + connectionNonce + "\", algorithm=MD5"
                        + (stale ? ", stale=TRUE" : ""));
            } else {
                challenges.add("Basic " + realm);
            }
        }
        return challenges;
    }

    private VideoAccess.Decision digest(DigestResponse response, String method, String stream, InetAddress peer) {
        if (!response.realm().equals(access.realm()) || !response.supportedAlgorithm()) {
            return new VideoAccess.Decision(VideoAccess.Outcome.WRONG, null, "Digest credentials for another realm or algorithm");
        }
        String digestStream;
        try {
            digestStream = RequestTarget.parse(response.uri(), defaultAuthority).streamId();
        } catch (RtspException e) {
            digestStream = null;
        }
        if (!stream.equals(digestStream)) {
            return new VideoAccess.Decision(VideoAccess.Outcome.WRONG, null, "Digest credentials computed for another URI");
        }
        return access.checkDigest(VideoAction.READ, stream, peer, response, method);
    }

    private boolean knownNonce(String nonce) {
        return nonce.equals(connectionNonce) || access.nonces().valid(nonce);
    }

    private boolean offers(VideoAuthConfig.Scheme scheme) {
        return access.rtspSchemes().contains(scheme);
    }
}
