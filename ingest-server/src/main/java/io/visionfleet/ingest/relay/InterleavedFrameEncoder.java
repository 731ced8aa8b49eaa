package io.visionfleet.ingest.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToMessageEncoder;

import java.util.List;

/**
 * Frames RTP and RTCP packets for the RTSP connection: {@code $}, channel, 16-bit length, then the payload,
 * which is passed on as it is (no copy; the encoder releases the frame, the socket write the payload). A burst
 * arrives framed already and passes straight through. Sits closer to the socket than the RTSP encoder, which
 * only takes RTSP messages.
 */
@ChannelHandler.Sharable
final class InterleavedFrameEncoder extends MessageToMessageEncoder<ByteBufHolder> {
    static final InterleavedFrameEncoder INSTANCE = new InterleavedFrameEncoder();
    static final int MAX_PAYLOAD = 0xffff;

    private InterleavedFrameEncoder() {
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof InterleavedFrame || msg instanceof InterleavedBurst;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBufHolder msg, List<Object> out) {
        if (msg instanceof InterleavedBurst burst) {
            out.add(burst.content().retain());
            return;
        }
        InterleavedFrame frame = (InterleavedFrame) msg;
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
