package io.visionfleet.ingest.relay;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.rtsp.RtspHeaderNames;
import io.netty.handler.codec.rtsp.RtspResponseStatuses;
import io.netty.handler.codec.rtsp.RtspVersions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("quick")
class RtspResponsesTest {

    @Test
    void anEmptyResponseEchoesCSeqAndNamesTheServer() {
        FullHttpResponse response = RtspResponses.empty(RtspResponseStatuses.OK, "7");

        assertThat(response.protocolVersion()).isEqualTo(RtspVersions.RTSP_1_0);
        assertThat(response.status()).isEqualTo(RtspResponseStatuses.OK);
        assertThat(response.headers().get(RtspHeaderNames.CSEQ)).isEqualTo("7");
        assertThat(response.headers().get(RtspHeaderNames.SERVER)).isEqualTo("vision-fleet relay");
        assertThat(response.headers().getInt(RtspHeaderNames.CONTENT_LENGTH)).isZero();
        assertThat(response.headers().contains(RtspHeaderNames.CONTENT_TYPE)).isFalse();
        assertThat(response.content().readableBytes()).isZero();
    }

    @Test
    void anErrorCarriesItsReasonAsPlainTextAndCountsBytesNotCharacters() {
        FullHttpResponse response = RtspResponses.error(RtspResponseStatuses.NOT_FOUND, "3", "no stream 'kamera-ü'");

        assertThat(response.status()).isEqualTo(RtspResponseStatuses.NOT_FOUND);
        assertThat(response.headers().get(RtspHeaderNames.CONTENT_TYPE)).isEqualTo("text/plain; charset=utf-8");
        assertThat(response.content().toString(StandardCharsets.UTF_8)).isEqualTo("no stream 'kamera-ü'\r\n");
        assertThat(response.headers().getInt(RtspHeaderNames.CONTENT_LENGTH)).isEqualTo(23);
    }

    @Test
    void aResponseToARequestWithoutUsableCSeqHasNone() {
        FullHttpResponse response = RtspResponses.error(RtspResponseStatuses.BAD_REQUEST, null, "missing or invalid CSeq");

        assertThat(response.headers().contains(RtspHeaderNames.CSEQ)).isFalse();
        assertThat(response.headers().get(RtspHeaderNames.SERVER)).isEqualTo("vision-fleet relay");
    }

    @Test
    void a405NamesTheServedMethods() {
        FullHttpResponse response = RtspResponses.error(RtspResponseStatuses.METHOD_NOT_ALLOWED, "4",
                "RECORD is not served by this relay");

        assertThat(response.headers().get(RtspHeaderNames.ALLOW)).isEqualTo(RtspMethod.PUBLIC);
        assertThat(RtspResponses.error(RtspResponseStatuses.NOT_IMPLEMENTED, "4", "unknown method FOO").headers()
                .contains(RtspHeaderNames.ALLOW)).isFalse();
    }

    @Test
    void aDescribeAnswerCarriesTheSdpWithItsType() {
        String sdp = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n";
        FullHttpResponse response = RtspResponses.of(RtspResponseStatuses.OK, "2", "application/sdp", sdp);

        assertThat(response.headers().get(RtspHeaderNames.CONTENT_TYPE)).isEqualTo("application/sdp");
        assertThat(response.headers().getInt(RtspHeaderNames.CONTENT_LENGTH)).isEqualTo(sdp.length());
        assertThat(response.content().toString(StandardCharsets.UTF_8)).isEqualTo(sdp);
    }
}
