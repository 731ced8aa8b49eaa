package io.visionfleet.ingest.relay;

import io.netty.buffer.ByteBuf;

/** An RTP or RTCP packet carried on the RTSP TCP connection ({@code $}, channel, 16-bit length, payload). */
public record InterleavedFrame(int channel, ByteBuf payload) {
}
