package io.visionfleet.common.rtsp;

import io.visionfleet.common.h264.VideoCodec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("quick")
class RtpDepacketizerTest {
    private static final byte[] SPS = {0x67, 0x42, 0x00, 0x1e};
    private static final byte[] PPS = {0x68, (byte) 0xce, 0x38};
    /** An IDR slice: header 0x65 and a body too big for one packet. */
    private static final byte[] IDR = slice(new byte[] {0x65});
    /** H.265 parameter sets (types 32-34, layer 0, TID 1) and an IDR_W_RADL slice (type 19). */
    private static final byte[] VPS = {0x40, 0x01, 0x0c, 0x01};
    private static final byte[] H265_SPS = {0x42, 0x01, 0x01, 0x01};
    private static final byte[] H265_PPS = {0x44, 0x01, (byte) 0xc1, 0x72};
    private static final byte[] H265_IDR = slice(new byte[] {0x26, 0x01});

    private RtpDepacketizer depacketizer = new RtpDepacketizer(VideoCodec.H264);
    private int sequence = 1000;

    @Test
    void anAccessUnitEndsAtTheMarkerBitNotAtTheNextPicture() {
        assertThat(add(stapA(SPS, PPS), 9000, false)).isFalse();
        assertThat(add(fu(true, false, 0, 400), 9000, false)).isFalse();
        assertThat(add(fu(false, false, 400, 800), 9000, false)).isFalse();
        assertThat(add(fu(false, true, 800, IDR.length), 9000, true)).as("complete at the marker").isTrue();

        assertThat(unit()).isEqualTo(concat(new byte[] {0, 0, 0, 1}, SPS, new byte[] {0, 0, 0, 1}, PPS,
                new byte[] {0, 0, 0, 1}, IDR));
        assertThat(depacketizer.randomAccess()).as("an IDR").isTrue();

        byte[] slice = {0x41, 0x11, 0x22};
        assertThat(add(slice, 12000, true)).as("a single-NAL picture").isTrue();
        assertThat(unit()).isEqualTo(concat(new byte[] {0, 0, 0, 1}, slice));
        assertThat(depacketizer.randomAccess()).as("a P slice").isFalse();
        assertThat(depacketizer.dropped()).isZero();
    }

    @Test
    void h265AggregatesAndFragmentsAreReassembledWithTheirTwoByteHeaders() {
        depacketizer = new RtpDepacketizer(VideoCodec.H265);
        assertThat(add(ap(VPS, H265_SPS, H265_PPS), 9000, false)).isFalse();
        assertThat(add(h265Fu(true, false, 0, 500), 9000, false)).isFalse();
        assertThat(add(h265Fu(false, true, 500, H265_IDR.length), 9000, true)).as("complete at the marker").isTrue();

        byte[] start = {0, 0, 0, 1};
        assertThat(unit()).isEqualTo(concat(start, VPS, start, H265_SPS, start, H265_PPS, start, H265_IDR));
        assertThat(depacketizer.randomAccess()).as("an IDR_W_RADL").isTrue();

        byte[] trailing = {0x02, 0x01, (byte) 0xd0, 0x11}; // TRAIL_R, type 1
        assertThat(add(trailing, 12000, true)).isTrue();
        assertThat(unit()).isEqualTo(concat(start, trailing));
        assertThat(depacketizer.randomAccess()).isFalse();
        assertThat(depacketizer.dropped()).isZero();
    }

    @Test
    void anH264PictureIsNonReferenceOnlyWhenEverySliceHasNalRefIdcZero() {
        assertThat(add(fu(true, false, 0, 400), 9000, false)).isFalse();
        assertThat(add(fu(false, true, 400, IDR.length), 9000, true)).isTrue();
        assertThat(depacketizer.nonReference()).as("an IDR").isFalse();

        assertThat(add(new byte[] {0x01, (byte) 0x9a, 0x11}, 12000, true)).as("a B slice, nal_ref_idc 0").isTrue();
        assertThat(depacketizer.nonReference()).isTrue();

        assertThat(add(stapA(new byte[] {0x01, (byte) 0x9a}, new byte[] {0x21, 0x1a}), 15000, true)).isTrue();
        assertThat(depacketizer.nonReference()).as("a second slice with nal_ref_idc 1").isFalse();

        assertThat(add(new byte[] {0x06, 0x05, 0x01}, 18000, true)).as("an SEI alone").isTrue();
        assertThat(depacketizer.nonReference()).as("no slice: no picture to leave out").isFalse();
    }

    @Test
    void anH265NonReferencePictureBelowTheTopSubLayerIsStillReferredTo() {
        depacketizer = new RtpDepacketizer(VideoCodec.H265);
        assertThat(add(new byte[] {0x00, 0x01, (byte) 0xd0}, 9000, true)).as("TRAIL_N, TemporalId 0").isTrue();
        assertThat(depacketizer.nonReference()).isTrue();
        assertThat(add(new byte[] {0x02, 0x01, (byte) 0xd0}, 12000, true)).as("TRAIL_R").isTrue();
        assertThat(depacketizer.nonReference()).isFalse();
        assertThat(add(new byte[] {0x10, 0x01, (byte) 0xd0}, 15000, true)).as("RASL_N").isTrue();
        assertThat(depacketizer.nonReference()).isTrue();

        assertThat(add(new byte[] {0x04, 0x02, (byte) 0xd0}, 18000, true)).as("TSA_N, TemporalId 1").isTrue();
        assertThat(depacketizer.nonReference()).isTrue();
        assertThat(add(new byte[] {0x00, 0x01, (byte) 0xd0}, 21000, true)).as("TRAIL_N of sub-layer 0").isTrue();
        assertThat(depacketizer.nonReference()).as("sub-layer 1 pictures may refer to it").isFalse();
    }

    @Test
    void anH265PacketOfAnUnknownTypeBreaksItsPicture() {
        depacketizer = new RtpDepacketizer(VideoCodec.H265);
        assertThat(add(new byte[] {(byte) (50 << 1), 0x01, 0x00}, 9000, true)).as("PACI, type 50").isFalse();
        assertThat(depacketizer.dropped()).isEqualTo(1);
    }

    @Test
    void aPictureWithALostPacketIsDroppedAndTheNextOneIsWhole() {
        add(fu(true, false, 0, 400), 9000, false);
        sequence++; // the middle fragment is lost
        assertThat(add(fu(false, true, 800, IDR.length), 9000, true)).isFalse();
        assertThat(depacketizer.dropped()).isEqualTo(1);

        assertThat(add(fu(true, false, 0, 400), 12000, false)).isFalse();
        assertThat(add(fu(false, true, 400, IDR.length), 12000, true)).isTrue();
        assertThat(unit()).isEqualTo(concat(new byte[] {0, 0, 0, 1}, IDR));
    }

    @Test
    void aPictureWhoseMarkerNeverCameIsDroppedWhenTheNextBegins() {
        add(fu(true, false, 0, 400), 9000, false);
        assertThat(add(new byte[] {0x41, 0x01}, 12000, true)).isTrue();
        assertThat(unit()).isEqualTo(new byte[] {0, 0, 0, 1, 0x41, 0x01});
        assertThat(depacketizer.dropped()).isEqualTo(1);
    }

    @Test
    void aFragmentWithoutItsStartIsNoPicture() {
        assertThat(add(fu(false, true, 400, IDR.length), 9000, true)).isFalse();
        assertThat(depacketizer.dropped()).isEqualTo(1);
    }

    private boolean add(byte[] payload, long rtpTime, boolean marker) {
        return depacketizer.add(payload, 0, payload.length, sequence++ & 0xFFFF, rtpTime, marker);
    }

    private byte[] unit() {
        return Arrays.copyOf(depacketizer.accessUnit(), depacketizer.length());
    }

    /** A FU-A packet of IDR's body bytes [from, to) (from 0 includes the NAL header, which FU-A does not send). */
    private static byte[] fu(boolean start, boolean end, int from, int to) {
        int first = Math.max(from, 1);
        byte[] packet = new byte[2 + to - first];
        packet[0] = (byte) ((IDR[0] & 0xE0) | 28);
        packet[1] = (byte) ((start ? 0x80 : 0) | (end ? 0x40 : 0) | (IDR[0] & 0x1F));
        System.arraycopy(IDR, first, packet, 2, to - first);
        return packet;
    }

    /** An H.265 FU packet of H265_IDR's bytes [from, to) (from 0 includes the 2-byte NAL header, which FU omits). */
    private static byte[] h265Fu(boolean start, boolean end, int from, int to) {
        int first = Math.max(from, 2);
        byte[] packet = new byte[3 + to - first];
        packet[0] = (byte) ((H265_IDR[0] & 0x81) | (49 << 1));
        packet[1] = H265_IDR[1];
        packet[2] = (byte) ((start ? 0x80 : 0) | (end ? 0x40 : 0) | ((H265_IDR[0] >> 1) & 0x3F));
        System.arraycopy(H265_IDR, first, packet, 3, to - first);
        return packet;
    }

    private static byte[] ap(byte[]... nals) {
        byte[] packet = {(byte) (48 << 1), 0x01};
        for (byte[] nal : nals) {
            packet = concat(packet, new byte[] {(byte) (nal.length >> 8), (byte) nal.length}, nal);
        }
        return packet;
    }

    private static byte[] stapA(byte[]... nals) {
        byte[] packet = {24};
        for (byte[] nal : nals) {
            packet = concat(packet, new byte[] {(byte) (nal.length >> 8), (byte) nal.length}, nal);
        }
        return packet;
    }

    /** A slice with {@code header} and a body too big for one packet. */
    private static byte[] slice(byte[] header) {
        byte[] nal = new byte[1200];
        System.arraycopy(header, 0, nal, 0, header.length);
        for (int i = header.length; i < nal.length; i++) {
            nal[i] = (byte) (i * 31 + 7);
        }
        return nal;
    }

    private static byte[] concat(byte[]... parts) {
        byte[] all = new byte[0];
        for (byte[] part : parts) {
            int at = all.length;
            all = Arrays.copyOf(all, at + part.length);
            System.arraycopy(part, 0, all, at, part.length);
        }
        return all;
    }
}
