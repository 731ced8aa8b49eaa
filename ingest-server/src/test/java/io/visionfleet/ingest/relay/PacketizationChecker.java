package io.visionfleet.ingest.relay;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reassembles access units from RTP packets as a receiver would (single NAL unit and FU-A packets), checking
 * the packetization rules on the way: one timestamp per access unit, marker on its last packet, consecutive
 * sequence numbers, well-formed fragments. Unlike the consumers' tolerant depacketizer in common, which drops a
 * broken picture and reads on, this one throws at the first broken rule: it is the relay tests' checker of the
 * packetizer, not a receiver.
 */
final class PacketizationChecker {
    /** One received picture: its NAL units and RTP timestamp. */
    record Unit(List<byte[]> nals, int rtpTimestamp) {
        boolean isIdr() {
            return nals.stream().anyMatch(nal -> (nal[0] & 0x1f) == 5);
        }

        /** The picture as an Annex-B byte stream. */
        byte[] annexB() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte[] nal : nals) {
                out.writeBytes(new byte[]{0, 0, 0, 1});
                out.writeBytes(nal);
            }
            return out.toByteArray();
        }
    }

    private final List<byte[]> nals = new ArrayList<>();
    private ByteArrayOutputStream fragment;
    private Integer timestamp;
    private Integer lastSequence;

    /** Feeds one packet; returns the access unit it completes, or null. */
    Unit accept(RtpPacket packet) {
        if (packet.version() != 2 || packet.payloadType() != SessionDescription.PAYLOAD_TYPE) {
            throw new IllegalStateException("not an H.264 RTP packet: " + packet);
        }
        if (lastSequence != null && packet.sequence() != ((lastSequence + 1) & 0xffff)) {
            throw new IllegalStateException("sequence " + packet.sequence() + " after " + lastSequence);
        }
        lastSequence = packet.sequence();
        if (timestamp != null && packet.timestamp() != timestamp) {
            throw new IllegalStateException("timestamp changed inside an access unit (marker missing)");
        }
        timestamp = packet.timestamp();
        byte[] payload = packet.payload();
        int type = payload[0] & 0x1f;
        if (type == RtpPacketizer.NAL_FU_A) {
            boolean start = (payload[1] & 0x80) != 0;
            boolean end = (payload[1] & 0x40) != 0;
            if (start == (fragment != null)) {
                throw new IllegalStateException("FU-A start bit does not match fragment state");
            }
            if (start) {
                fragment = new ByteArrayOutputStream();
                fragment.write((payload[0] & 0xe0) | (payload[1] & 0x1f));
            }
            fragment.write(payload, 2, payload.length - 2);
            if (end) {
                nals.add(fragment.toByteArray());
                fragment = null;
            }
        } else if (type >= 1 && type <= 23) {
            if (fragment != null) {
                throw new IllegalStateException("single NAL packet inside an FU-A");
            }
            nals.add(payload);
        } else {
            throw new IllegalStateException("unexpected payload type " + type);
        }
        if (!packet.marker()) {
            return null;
        }
        if (fragment != null) {
            throw new IllegalStateException("marker on an unfinished FU-A");
        }
        Unit unit = new Unit(List.copyOf(nals), timestamp);
        nals.clear();
        timestamp = null;
        return unit;
    }
}
