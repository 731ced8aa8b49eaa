package io.visionfleet.ingest.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * The interleaved RTP packets of one access unit for one reader, already framed ({@code $}, channel, length,
 * RTP header, shared payload slice, repeated). One message per picture means one hand-off to the reader's event
 * loop per picture rather than one per packet, and, being a {@link io.netty.buffer.ByteBufHolder}, its bytes
 * count against the write-buffer water marks from the moment it is queued.
 */
final class InterleavedBurst extends DefaultByteBufHolder {
    InterleavedBurst(ByteBuf framedPackets) {
        super(framedPackets);
    }
}
