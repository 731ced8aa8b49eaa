package io.visionfleet.ingest.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/** A parsed RTP packet (fixed header only: the relay sends no CSRC, extension or padding). */
record RtpPacket(int version, boolean marker, int payloadType, int sequence, int timestamp, int ssrc, byte[] payload) {

    static RtpPacket parse(ByteBuf buf) {
        return parse(ByteBufUtil.getBytes(buf));
    }

    static RtpPacket parse(byte[] bytes) {
        if (bytes.length < 12) {
            throw new IllegalArgumentException("RTP packet of " + bytes.length + " bytes");
        }
        int sequence = ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
        int timestamp = ((bytes[4] & 0xff) << 24) | ((bytes[5] & 0xff) << 16) | ((bytes[6] & 0xff) << 8) | (bytes[7] & 0xff);
        int ssrc = ((bytes[8] & 0xff) << 24) | ((bytes[9] & 0xff) << 16) | ((bytes[10] & 0xff) << 8) | (bytes[11] & 0xff);
        byte[] payload = new byte[bytes.length - 12];
        System.arraycopy(bytes, 12, payload, 0, payload.length);
        return new RtpPacket((bytes[0] & 0xff) >> 6, (bytes[1] & 0x80) != 0, bytes[1] & 0x7f, sequence, timestamp, ssrc,
                payload);
    }

    /** True for an RTCP packet type (SR 200 .. APP 204) in the second byte. */
    static boolean isRtcp(byte[] bytes) {
        int type = bytes.length > 1 ? bytes[1] & 0xff : 0;
        return type >= 200 && type <= 204;
    }
}
