package io.visionfleet.ingest.videoauth;

import io.visionfleet.common.api.FailedAttempts;
import io.visionfleet.common.auth.DigestAuth;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parts of video authentication that need no server: patterns, header parsing, Digest, failure delays. */
@Tag("quick")
class VideoAuthPartsTest {
    @Test
    void streamPatternsAreGlobsOrRegularExpressionsOverTheWholeId() {
        StreamPattern glob = StreamPattern.parse("drone-*");
        assertThat(glob.matches("drone-1")).isTrue();
        assertThat(glob.matches("drone-")).isTrue();
        assertThat(glob.matches("xdrone-1")).isFalse();
        assertThat(StreamPattern.parse("cam?").matches("cam7")).isTrue();
        assertThat(StreamPattern.parse("cam?").matches("cam77")).isFalse();
        assertThat(StreamPattern.parse("a.b").matches("axb")).as("a dot in a glob is literal").isFalse();
        assertThat(StreamPattern.parse("*").matches("anything")).isTrue();
        StreamPattern regex = StreamPattern.parse("~cam[0-9]+");
        assertThat(regex.matches("cam12")).isTrue();
        assertThat(regex.matches("cam12x")).isFalse();
        assertThatThrownBy(() -> StreamPattern.parse("~cam[")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void basicHeadersDecodeAndNeverPrintThePassword() {
        Authorization parsed = Authorization.parse("Basic dXNlcjpwYXNzOndvcmQ="); // user:pass:word
        assertThat(parsed).isEqualTo(new Authorization.Basic("user", "pass:word"));
        assertThat(parsed.toString()).doesNotContain("pass");
        assertThat(Authorization.parse("Basic !!!")).isInstanceOf(Authorization.Unusable.class);
        assertThat(Authorization.parse("Bearer abc")).isInstanceOf(Authorization.Unusable.class);
        assertThat(Authorization.parse(" ")).isNull();
    }

    @Test
    void digestResponsesAreCheckedAsRfc2617ComputesThem() {
        // the worked example of RFC 2617, section 3.5
        Authorization parsed = Authorization.parse("Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "
                + "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", qop=auth, nc=00000001, "
                + "cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
        assertThat(parsed).isInstanceOf(Authorization.Digest.class);
        DigestResponse response = ((Authorization.Digest) parsed).response();
        assertThat(response.matches("Mufasa", "Circle Of Life", "GET")).isTrue();
        assertThat(response.matches("Mufasa", "Circle of Life", "GET")).isFalse();
        assertThat(response.matches("Mufasa", "Circle Of Life", "POST")).isFalse();

        // without qop (RFC 2069 style, as FFmpeg answers a challenge that offers none)
        String ha1 = DigestAuth.md5("reader:vision-fleet:secret");
        String ha2 = DigestAuth.md5("DESCRIBE:rtsp://127.0.0.1:8554/cam");
        DigestResponse plain = DigestResponse.of(Map.of("username", "reader", "realm", "vision-fleet", "nonce", "n1",
                "uri", "rtsp://127.0.0.1:8554/cam", "response", DigestAuth.md5(ha1 + ":n1:" + ha2)));
        assertThat(plain.matches("reader", "secret", "DESCRIBE")).isTrue();
        assertThat(plain.matches("reader", "secret", "SETUP")).isFalse();
        assertThat(DigestResponse.of(Map.of("username", "reader"))).as("incomplete").isNull();
    }

    @Test
    void noncesAreAcceptedOnlyWhenIssuedHereAndFresh() throws Exception {
        DigestNonces nonces = new DigestNonces(Duration.ofMinutes(1));
        String nonce = nonces.issue();
        assertThat(nonces.valid(nonce)).isTrue();
        assertThat(new DigestNonces(Duration.ofMinutes(1)).valid(nonce)).as("another server's key").isFalse();
        assertThat(nonces.valid("not-a-nonce")).isFalse();
        char[] tampered = nonce.toCharArray();
        tampered[3] = tampered[3] == 'A' ? 'B' : 'A';
        assertThat(nonces.valid(new String(tampered))).isFalse();

        DigestNonces shortLived = new DigestNonces(Duration.ofMillis(1));
        String expiring = shortLived.issue();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (shortLived.valid(expiring) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(shortLived.valid(expiring)).as("expired after its lifetime").isFalse();
    }

    @Test
    void failuresOfOneClientDoubleTheDelayUpToTheCapAndASuccessClearsThem() {
        FailedAttempts delays = VideoAccess.failureDelays(Duration.ofMillis(100), Duration.ofMillis(1000));
        assertThat(delays.failed("10.0.0.1")).isEqualTo(100);
        assertThat(delays.failed("10.0.0.1")).isEqualTo(200);
        assertThat(delays.failed("10.0.0.1")).isEqualTo(400);
        assertThat(delays.failed("10.0.0.1")).isEqualTo(800);
        assertThat(delays.failed("10.0.0.1")).isEqualTo(1000);
        for (int i = 0; i < 100; i++) {
            assertThat(delays.failed("10.0.0.1")).as("capped, never a lockout").isEqualTo(1000);
        }
        assertThat(delays.failed("10.0.0.2")).as("another client is not slowed").isEqualTo(100);
        delays.succeeded("10.0.0.1");
        assertThat(delays.failed("10.0.0.1")).as("the count starts again").isEqualTo(100);
        for (int i = 0; i < VideoAccess.MAX_FAILING_CLIENTS * 2; i++) {
            delays.failed("client-" + i);
        }
        assertThat(delays.failed("10.0.0.2")).as("the table is bounded: the oldest clients go first").isEqualTo(100);
    }
}
