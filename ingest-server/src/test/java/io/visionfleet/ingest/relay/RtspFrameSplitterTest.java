package io.visionfleet.ingest.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("quick")
class RtspFrameSplitterTest {
    private static final String OPTIONS = "OPTIONS rtsp://h/s RTSP/1.0\r\nCSeq: 1\r\n\r\n";
    private static final String SET_PARAMETER = "SET_PARAMETER rtsp://h/s RTSP/1.0\r\nCSeq: 2\r\ncontent-LENGTH: 5\r\n\r\nhello";
    private static final byte[] RTCP = {'$', 1, 0, 4, (byte) 0x80, (byte) 201, 0, 0};

    private final EmbeddedChannel channel = new EmbeddedChannel(new RtspFrameSplitter(256, 64));

    @Test
    void splitsRequestsAndInterleavedFramesWhateverTheChunking() {
        byte[] input = concat(OPTIONS.getBytes(StandardCharsets.US_ASCII), RTCP, "\r\n".getBytes(StandardCharsets.US_ASCII),
                SET_PARAMETER.getBytes(StandardCharsets.US_ASCII));
        for (int chunk : new int[]{input.length, 1, 3, 7}) {
            EmbeddedChannel ch = new EmbeddedChannel(new RtspFrameSplitter(256, 64));
            for (int i = 0; i < input.length; i += chunk) {
                ch.writeInbound(Unpooled.wrappedBuffer(input, i, Math.min(chunk, input.length - i)));
            }
            List<Object> out = drain(ch);
            assertThat(out).as("chunk %d", chunk).hasSize(3);
            assertThat(text(out.get(0))).isEqualTo(OPTIONS);
            InterleavedFrame frame = (InterleavedFrame) out.get(1);
            assertThat(frame.channel()).isEqualTo(1);
            assertThat(ByteBufUtil.getBytes(frame.payload())).containsExactly(0x80, 201, 0, 0);
            frame.release();
            assertThat(text(out.get(2))).isEqualTo(SET_PARAMETER);
        }
    }

    @Test
    void acceptsBareLineFeeds() {
        channel.writeInbound(Unpooled.copiedBuffer("OPTIONS * RTSP/1.0\nCSeq: 1\n\n", StandardCharsets.US_ASCII));
        assertThat(text(drain(channel).get(0))).isEqualTo("OPTIONS * RTSP/1.0\nCSeq: 1\n\n");
    }

    @Test
    void headerLongerThanTheLimitIsRejectedAndTheRestDiscarded() {
        String longHeader = "OPTIONS * RTSP/1.0\r\nX-Pad: " + "a".repeat(300);
        channel.writeInbound(Unpooled.copiedBuffer(longHeader, StandardCharsets.US_ASCII));
        channel.writeInbound(Unpooled.copiedBuffer(OPTIONS, StandardCharsets.US_ASCII));

        assertThat(drain(channel)).containsExactly(new MalformedRequest("request header exceeds the limit of 256 bytes"));
    }

    @Test
    void bodyBeyondTheLimitIsRejected() {
        channel.writeInbound(Unpooled.copiedBuffer("SET_PARAMETER * RTSP/1.0\r\nContent-Length: 1000\r\n\r\n",
                StandardCharsets.US_ASCII));
        assertThat(reasons(channel)).singleElement().asString().contains("exceeds the limit of 256");
    }

    @Test
    void interleavedFrameBeyondTheLimitIsRejected() {
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[]{'$', 0, (byte) 0xff, (byte) 0xff, 1, 2, 3}));
        assertThat(reasons(channel)).containsExactly("interleaved frame of 65535 bytes exceeds the limit of 64");
    }

    @Test
    void rejectsWhatIsNoRtspRequest() {
        assertRejected("GET / HTTP/1.1\r\n\r\n", "request line is not 'METHOD URI RTSP/1.0'");
        assertRejected("\u0001\u0002garbage\r\n\r\n", "control character 0x1 in request header");
        assertRejected("OPTIONS * RTSP/1.0\r\nContent-Length: -5\r\n\r\n", "invalid Content-Length");
        assertRejected("OPTIONS * RTSP/1.0\r\nContent-Length: 99999999999\r\n\r\n", "invalid Content-Length");
        assertRejected("SET_PARAMETER * RTSP/1.0\r\nContent-Length: 5\r\nContent-Length: 2\r\n\r\nab",
                "more than one Content-Length");
        assertRejected("OPTIONS * RTSP/1.0\r\n" + "A: b\r\n".repeat(RtspFrameSplitter.MAX_HEADER_LINES + 1) + "\r\n",
                "more than 64 header lines");
    }

    private static void assertRejected(String input, String reason) {
        EmbeddedChannel ch = new EmbeddedChannel(new RtspFrameSplitter(1024, 64));
        ch.writeInbound(Unpooled.copiedBuffer(input, StandardCharsets.ISO_8859_1));
        assertThat(reasons(ch)).as(input).containsExactly(reason);
    }

    private static List<String> reasons(EmbeddedChannel ch) {
        return drain(ch).stream().map(o -> ((MalformedRequest) o).reason()).toList();
    }

    private static List<Object> drain(EmbeddedChannel ch) {
        List<Object> out = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            out.add(o);
        }
        return out;
    }

    private static String text(Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        String text = buf.toString(StandardCharsets.US_ASCII);
        buf.release();
        return text;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
