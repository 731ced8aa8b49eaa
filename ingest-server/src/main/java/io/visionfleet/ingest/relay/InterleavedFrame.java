package io.visionfleet.ingest.relay;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/**
 * An RTP or RTCP packet carried on the RTSP TCP connection ({@code $}, channel, 16-bit length, payload).
 * Reference counted through its payload, so that Netty releases a frame it discards (a write to a closed
 * channel, an inbound frame nobody consumes).
 */
public record InterleavedFrame(int channel, ByteBuf payload) implements ReferenceCounted {
    @Override
    public int refCnt() {
        return payload.refCnt();
    }

    @Override
    public InterleavedFrame retain() {
        payload.retain();
        return this;
    }

    @Override
    public InterleavedFrame retain(int increment) {
        payload.retain(increment);
        return this;
    }

    @Override
    public InterleavedFrame touch() {
        payload.touch();
        return this;
    }

    @Override
    public InterleavedFrame touch(Object hint) {
        payload.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return payload.release();
    }

    @Override
    public boolean release(int decrement) {
        return payload.release(decrement);
    }
}
