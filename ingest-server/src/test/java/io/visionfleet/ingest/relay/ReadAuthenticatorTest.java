package io.visionfleet.ingest.relay;

import io.visionfleet.common.auth.DigestAuth;
import io.visionfleet.ingest.testing.TestVideoAuth;
import io.visionfleet.ingest.videoauth.VideoAccess;
import io.visionfleet.ingest.videoauth.VideoAccess.Outcome;
import io.visionfleet.ingest.videoauth.VideoAuthConfig.Scheme;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("quick")
class ReadAuthenticatorTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final InetAddress REMOTE = remote();
    private static final String URL = "rtsp://127.0.0.1:8554/cam";
    private static final Pattern NONCE = Pattern.compile("nonce=\"([^\"]+)\"");

    private final VideoAccess access = TestVideoAuth.reader("reader", "s3cret", "cam*", Scheme.DIGEST, Scheme.BASIC);
    private final ReadAuthenticator authenticator = new ReadAuthenticator(access, "localhost:8554");

    @Test
    void theChallengeOffersEachSchemeWithANonceOfThisServer() {
        List<String> challenges = authenticator.challenges(false);

        assertThat(challenges).hasSize(2);
        assertThat(challenges.get(0)).matches("Digest realm=\"vision-fleet\", nonce=\"[^\"]+\", algorithm=MD5");
        assertThat(challenges.get(1)).isEqualTo("Basic realm=\"vision-fleet\"");
        assertThat(access.nonces().valid(nonce(challenges.get(0)))).isTrue();
        assertThat(authenticator.challenges(true).get(0)).endsWith(", algorithm=MD5, stale=TRUE");
    }

    @Test
    void aClientWithoutCredentialsIsChallenged() {
        ReadAuthenticator.Verdict verdict = authenticator.check(null, "DESCRIBE", "cam", REMOTE);

        assertThat(verdict.decision().outcome()).isEqualTo(Outcome.MISSING);
        assertThat(verdict.stale()).isFalse();
    }

    @Test
    void digestAsFfmpegAnswersTheChallengeIsAccepted() {
        String nonce = nonce(authenticator.challenges(false).get(0));

        ReadAuthenticator.Verdict verdict = authenticator.check(digest("reader", "s3cret", nonce, "DESCRIBE", URL),
                "DESCRIBE", "cam", REMOTE);

        assertThat(verdict.decision().outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(verdict.decision().user()).isEqualTo("reader");
        assertThat(authenticator.check(digest("reader", "s3cret", nonce, "SETUP", URL + "/trackID=0"), "SETUP", "cam",
                REMOTE).decision().allowed()).as("the track URL names the same stream").isTrue();
    }

    @Test
    void aDigestResponseMustFitMethodUriAndPassword() {
        String nonce = nonce(authenticator.challenges(false).get(0));

        assertThat(authenticator.check(digest("reader", "wrong", nonce, "DESCRIBE", URL), "DESCRIBE", "cam", REMOTE)
                .decision().outcome()).isEqualTo(Outcome.WRONG);
        assertThat(authenticator.check(digest("reader", "s3cret", nonce, "DESCRIBE", URL), "SETUP", "cam", REMOTE)
                .decision().outcome()).as("computed for another method").isEqualTo(Outcome.WRONG);
        assertThat(authenticator.check(digest("reader", "s3cret", nonce, "DESCRIBE", "rtsp://127.0.0.1:8554/cam2"),
                "DESCRIBE", "cam", REMOTE).decision().reason()).isEqualTo("Digest credentials computed for another URI");
    }

    @Test
    void rightDigestOnAnotherServersNonceIsChallengedAgainAsStale() {
        String foreign = nonce(new ReadAuthenticator(TestVideoAuth.reader("reader", "s3cret", "*", Scheme.DIGEST),
                "localhost:8554").challenges(false).get(0));

        ReadAuthenticator.Verdict verdict = authenticator.check(digest("reader", "s3cret", foreign, "DESCRIBE", URL),
                "DESCRIBE", "cam", REMOTE);

        assertThat(verdict.decision().outcome()).isEqualTo(Outcome.MISSING);
        assertThat(verdict.stale()).isTrue();
        assertThat(authenticator.check(digest("reader", "wrong", foreign, "DESCRIBE", URL), "DESCRIBE", "cam", REMOTE)
                .stale()).as("wrong credentials stay wrong, whatever the nonce").isFalse();
    }

    @Test
    void basicIsCheckedWhenOfferedAndRefusedWhenNot() {
        assertThat(authenticator.check(basic("reader", "s3cret"), "DESCRIBE", "cam", REMOTE).decision().allowed()).isTrue();
        assertThat(authenticator.check(basic("reader", "nope"), "DESCRIBE", "cam", REMOTE).decision().outcome())
                .isEqualTo(Outcome.WRONG);
        assertThat(authenticator.check(basic("reader", "s3cret"), "DESCRIBE", "other", REMOTE).decision().outcome())
                .as("a stream the user may not read").isEqualTo(Outcome.NOT_PERMITTED);

        ReadAuthenticator digestOnly = new ReadAuthenticator(
                TestVideoAuth.reader("reader", "s3cret", "*", Scheme.DIGEST), "localhost:8554");
        VideoAccess.Decision refused = digestOnly.check(basic("reader", "s3cret"), "DESCRIBE", "cam", REMOTE).decision();
        assertThat(refused.outcome()).isEqualTo(Outcome.WRONG);
        assertThat(refused.reason()).isEqualTo("credentials in a scheme this relay does not take; it offers [DIGEST]");
        assertThat(digestOnly.challenges(false)).hasSize(1);
    }

    @Test
    void withoutConfiguredCredentialsOnlyLoopbackReadsAndHeadersAreIgnored() {
        ReadAuthenticator open = new ReadAuthenticator(TestVideoAuth.none(), "localhost:8554");

        assertThat(open.check(basic("anyone", "anything"), "DESCRIBE", "cam", LOOPBACK).decision().allowed()).isTrue();
        assertThat(open.check(null, "DESCRIBE", "cam", REMOTE).decision().outcome()).isEqualTo(Outcome.REMOTE_REFUSED);
    }

    /** The header FFmpeg sends in answer to a Digest challenge without qop (RFC 2069 form). */
    private static String digest(String user, String password, String nonce, String method, String uri) {
        String ha1 = DigestAuth.md5(user + ":" + TestVideoAuth.REALM + ":" + password);
        String ha2 = DigestAuth.md5(method + ":" + uri);
        return "Digest username=\"" + user + "\", realm=\"" + TestVideoAuth.REALM + "\", nonce=\"" + nonce
                + "\", uri=\"" + uri + "\", response=\"" + DigestAuth.md5(ha1 + ":" + nonce + ":" + ha2) + "\"";
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static InetAddress remote() {
        try {
            return InetAddress.getByName("192.168.1.20"); // a literal: nothing is looked up
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static String nonce(String challenge) {
        Matcher m = NONCE.matcher(challenge);
        assertThat(m.find()).as(challenge).isTrue();
        return m.group(1);
    }
}
