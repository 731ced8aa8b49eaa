package io.visionfleet.ingest.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;

/**
 * An RTP or RTCP packet carried on the RTSP TCP connection ({@code $}, channel, 16-bit length, payload).
 * A {@link ByteBufHolder}, so that Netty releases a frame it discards (a write to a closed channel, an inbound
 * frame nobody consumes) and counts its bytes against the channel's write-buffer water marks even while the
 * write is still queued from another thread.
 */
public record InterleavedFrame(int channel, ByteBuf payload) implements ByteBufHolder {
    @Override
    public ByteBuf content() {
        return payload;
    }

    @Override
    public InterleavedFrame copy() {
        return replace(payload.copy());
    }

    @Override
    public InterleavedFrame duplicate() {
        return replace(payload.duplicate());
    }

    @Override
    public InterleavedFrame retainedDuplicate() {
        return replace(payload.retainedDuplicate());
    }

    @Override
    public InterleavedFrame replace(ByteBuf content) {
        return new InterleavedFrame(channel, content);
    }

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
