package io.visionfleet.ingest.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits what an RTSP client sends into interleaved frames ({@code $}, channel, 16-bit length, payload: RTCP
 * receiver reports) and whole RTSP requests, which it hands to Netty's RTSP decoder one at a time. That decoder
 * cannot parse interleaved frames itself.
 *
 * <p>A state machine with hard limits: a request's header and body together stay within {@code maxRequestBytes},
 * at most {@value #MAX_HEADER_LINES} header lines, a request line of the form {@code METHOD URI RTSP/1.0}, and
 * interleaved frames of at most {@code maxInterleavedBytes}. Past any limit it emits one {@link MalformedRequest}
 * and discards everything that follows, since the stream can no longer be framed reliably. Scanning resumes
 * where it stopped, so a client dripping bytes costs linear time.
 */
final class RtspFrameSplitter extends ByteToMessageDecoder {
    static final int MAX_HEADER_LINES = 64;
    private static final Pattern REQUEST_LINE = Pattern.compile("[A-Z][A-Z_-]{0,31} [!-~]+ RTSP/1\\.0");
    private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_CONTENT_LENGTH_DIGITS = 9;

    private final int maxRequestBytes;
    private final int maxInterleavedBytes;
    private boolean failed;

    // progress through the header of the request at the reader index, relative to it
    private int scanned;
    private int lineStart;
    private int lines;
    private int contentLength;
    private boolean contentLengthSeen;
    private boolean headerComplete;

    RtspFrameSplitter(int maxRequestBytes, int maxInterleavedBytes) {
        this.maxRequestBytes = maxRequestBytes;
        this.maxInterleavedBytes = maxInterleavedBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (!failed && in.isReadable()) {
            byte first = in.getByte(in.readerIndex());
            boolean complete;
            if (scanned == 0 && (first == '\r' || first == '\n')) {
                in.skipBytes(1); // blank lines between messages are allowed
                complete = true;
            } else if (scanned == 0 && first == '$') {
                complete = decodeInterleaved(in, out);
            } else {
                complete = decodeRequest(in, out);
            }
            if (!complete) {
                break;
            }
        }
        if (failed) {
            in.skipBytes(in.readableBytes());
        }
    }

    private boolean decodeInterleaved(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 4) {
            return false;
        }
        int channel = in.getUnsignedByte(in.readerIndex() + 1);
        int length = in.getUnsignedShort(in.readerIndex() + 2);
        if (length > maxInterleavedBytes) {
            return fail(out, "interleaved frame of " + length + " bytes exceeds the limit of " + maxInterleavedBytes);
        }
        if (in.readableBytes() < 4 + length) {
            return false;
        }
        in.skipBytes(4);
        out.add(new InterleavedFrame(channel, in.readRetainedSlice(length)));
        return true;
    }

    private boolean decodeRequest(ByteBuf in, List<Object> out) {
        if (headerComplete) {
            return emitRequest(in, out); // waiting for the body
        }
        int base = in.readerIndex();
        int available = Math.min(in.readableBytes(), maxRequestBytes);
        while (scanned < available) {
            byte b = in.getByte(base + scanned++);
            if (b != '\n') {
                if (b >= 0 && b < 0x20 && b != '\r' && b != '\t' || b == 0x7f) {
                    return fail(out, "control character 0x" + Integer.toHexString(b & 0xff) + " in request header");
                }
                continue;
            }
            int lineEnd = scanned - 1;
            if (lineEnd > lineStart && in.getByte(base + lineEnd - 1) == '\r') {
                lineEnd--;
            }
            if (lineEnd == lineStart) {
                if (lines == 0) {
                    return fail(out, "empty request line");
                }
                headerComplete = true;
                return emitRequest(in, out);
            }
            String problem = lines == 0 ? checkRequestLine(in, base + lineStart, lineEnd - lineStart)
                    : checkHeaderLine(in, base + lineStart, lineEnd - lineStart);
            if (problem != null) {
                return fail(out, problem);
            }
            lines++;
            lineStart = scanned;
        }
        if (scanned >= maxRequestBytes) {
            return fail(out, "request header exceeds the limit of " + maxRequestBytes + " bytes");
        }
        return false;
    }

    private boolean emitRequest(ByteBuf in, List<Object> out) {
        int total = scanned + contentLength;
        if (total > maxRequestBytes) {
            return fail(out, "request of " + total + " bytes exceeds the limit of " + maxRequestBytes);
        }
        if (in.readableBytes() < total) {
            return false;
        }
        out.add(in.readRetainedSlice(total));
        scanned = 0;
        lineStart = 0;
        lines = 0;
        contentLength = 0;
        contentLengthSeen = false;
        headerComplete = false;
        return true;
    }

    private static String checkRequestLine(ByteBuf in, int index, int length) {
        String line = in.toString(index, length, StandardCharsets.US_ASCII);
        return REQUEST_LINE.matcher(line).matches() ? null : "request line is not 'METHOD URI RTSP/1.0'";
    }

    private String checkHeaderLine(ByteBuf in, int index, int length) {
        if (lines > MAX_HEADER_LINES) { // the request line is line 0
            return "more than " + MAX_HEADER_LINES + " header lines";
        }
        if (length < CONTENT_LENGTH.length || !startsWithIgnoreCase(in, index, CONTENT_LENGTH)) {
            return null;
        }
        if (contentLengthSeen) {
            // Netty's decoder takes the first, this splitter the last: the request's end would be in doubt
            return "more than one Content-Length";
        }
        contentLengthSeen = true;
        String value = in.toString(index + CONTENT_LENGTH.length, length - CONTENT_LENGTH.length,
                StandardCharsets.US_ASCII).trim();
        if (value.isEmpty() || value.length() > MAX_CONTENT_LENGTH_DIGITS || !value.chars().allMatch(Character::isDigit)) {
            return "invalid Content-Length";
        }
        contentLength = Integer.parseInt(value);
        return null;
    }

    private static boolean startsWithIgnoreCase(ByteBuf in, int index, byte[] lowerCasePrefix) {
        for (int i = 0; i < lowerCasePrefix.length; i++) {
            int b = in.getByte(index + i);
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != lowerCasePrefix[i]) {
                return false;
            }
        }
        return true;
    }

    private boolean fail(List<Object> out, String reason) {
        failed = true;
        out.add(new MalformedRequest(reason));
        return false;
    }
}
