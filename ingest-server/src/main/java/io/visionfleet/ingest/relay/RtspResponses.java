package io.visionfleet.ingest.relay;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.rtsp.RtspHeaderNames;
import io.netty.handler.codec.rtsp.RtspResponseStatuses;
import io.netty.handler.codec.rtsp.RtspVersions;

import java.nio.charset.StandardCharsets;

/**
 * The relay's RTSP responses: every one names the server and its body length, and echoes the request's CSeq when the
 * request had a usable one. Error responses carry their reason as a plain-text body, so that a client's log shows it.
 */
final class RtspResponses {
    static final String SERVER = "vision-fleet relay";

    private RtspResponses() {
    }

    /** @param cseq null when the request had none worth echoing (it could not be parsed, or its CSeq was invalid) */
    static FullHttpResponse empty(HttpResponseStatus status, String cseq) {
        return of(status, cseq, null, null);
    }

    /** An error; a 405 names the methods that are served, as RFC 2326 (10.5) requires. */
    static FullHttpResponse error(HttpResponseStatus status, String cseq, String reason) {
        FullHttpResponse response = of(status, cseq, "text/plain; charset=utf-8", reason + "\r\n");
        if (status.equals(RtspResponseStatuses.METHOD_NOT_ALLOWED)) {
            response.headers().set(RtspHeaderNames.ALLOW, RtspMethod.PUBLIC);
        }
        return response;
    }

    static FullHttpResponse of(HttpResponseStatus status, String cseq, String contentType, String body) {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(RtspVersions.RTSP_1_0, status,
                Unpooled.wrappedBuffer(content));
        if (cseq != null) {
            response.headers().set(RtspHeaderNames.CSEQ, cseq);
        }
        response.headers().set(RtspHeaderNames.SERVER, SERVER);
        if (contentType != null) {
            response.headers().set(RtspHeaderNames.CONTENT_TYPE, contentType);
        }
        response.headers().setInt(RtspHeaderNames.CONTENT_LENGTH, content.length);
        return response;
    }
}
