package io.visionfleet.common.net;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("quick")
class UrlCredentialsTest {
    @Test
    void passwordsInAnyTextAreMasked() {
        assertThat(UrlCredentials.redact("Could not open input \"rtsp://reader:s3cret@relay:8554/cam\". (x)"))
                .isEqualTo("Could not open input \"rtsp://reader:***@relay:8554/cam\". (x)");
        assertThat(UrlCredentials.redact("ws://a:b@h:8080/ws and rtsp://c:d%40e@h/x")).isEqualTo("ws://a:***@h:8080/ws and rtsp://c:***@h/x");
        assertThat(UrlCredentials.redact("rtsp://u:p@ss@h/x")).as("a raw @ in the password").isEqualTo("rtsp://u:***@h/x");
        assertThat(UrlCredentials.redact("rtsp://host:8554/x mail me@example.org")).isEqualTo("rtsp://host:8554/x mail me@example.org");
        assertThat(UrlCredentials.redact(null)).isNull();
    }

    @Test
    void loginsAreTakenOutOfURLsAndPutBackPercentEncoded() {
        UrlCredentials.Login login = new UrlCredentials.Login("reader", "R3ad:p@ss/w%rd");
        String url = UrlCredentials.withLogin("rtsp://relay:8554/cam", login);
        assertThat(url).isEqualTo("rtsp://reader:R3ad%3Ap%40ss%2Fw%25rd@relay:8554/cam");
        assertThat(UrlCredentials.loginOf(url)).contains(login);
        assertThat(UrlCredentials.withoutLogin(url)).isEqualTo("rtsp://relay:8554/cam");
        assertThat(UrlCredentials.loginOf("rtsp://relay:8554/cam")).isEmpty();
        assertThat(login.toString()).doesNotContain("R3ad");
    }
}
