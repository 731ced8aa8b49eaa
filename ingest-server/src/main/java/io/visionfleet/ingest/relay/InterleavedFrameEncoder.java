package io.visionfleet.ingest.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToMessageEncoder;

import java.util.List;

/**
 * Frames RTP and RTCP packets for the RTSP connection: {@code $}, channel, 16-bit length, then the payload,
 * which is passed on as it is (no copy; the encoder releases the frame, the socket write the payload). Sits closer to the socket than the RTSP encoder, which only takes
 * RTSP messages.
 */
@ChannelHandler.Sharable
final class InterleavedFrameEncoder extends MessageToMessageEncoder<InterleavedFrame> {
    static final InterleavedFrameEncoder INSTANCE = new InterleavedFrameEncoder();
    static final int MAX_PAYLOAD = 0xffff;

    private InterleavedFrameEncoder() {
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, InterleavedFrame frame, List<Object> out) {
        ByteBuf payload = frame.payload();
        int length = payload.readableBytes();
        if (length > MAX_PAYLOAD) {
            throw new EncoderException("interleaved payload of " + length + " bytes exceeds " + MAX_PAYLOAD);
        }
        ByteBuf prefix = ctx.alloc().buffer(4);
        prefix.writeByte('$').writeByte(frame.channel()).writeShort(length);
        out.add(prefix);
        out.add(payload.retain());
    }
}
