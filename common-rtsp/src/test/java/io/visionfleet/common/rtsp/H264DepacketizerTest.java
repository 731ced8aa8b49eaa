package io.visionfleet.common.rtsp;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("quick")
class H264DepacketizerTest {
    private static final byte[] SPS = {0x67, 0x42, 0x00, 0x1e};
    private static final byte[] PPS = {0x68, (byte) 0xce, 0x38};
    /** An IDR slice: header 0x65 and a body too big for one packet. */
    private static final byte[] IDR = idr();

    private final H264Depacketizer depacketizer = new H264Depacketizer();
    private int sequence = 1000;

    @Test
    void anAccessUnitEndsAtTheMarkerBitNotAtTheNextPicture() {
        assertThat(add(stapA(SPS, PPS), 9000, false)).isFalse();
        assertThat(add(fu(true, false, 0, 400), 9000, false)).isFalse();
        assertThat(add(fu(false, false, 400, 800), 9000, false)).isFalse();
        assertThat(add(fu(false, true, 800, IDR.length), 9000, true)).as("complete at the marker").isTrue();

        assertThat(unit()).isEqualTo(concat(new byte[] {0, 0, 0, 1}, SPS, new byte[] {0, 0, 0, 1}, PPS,
                new byte[] {0, 0, 0, 1}, IDR));

        byte[] slice = {0x41, 0x11, 0x22};
        assertThat(add(slice, 12000, true)).as("a single-NAL picture").isTrue();
        assertThat(unit()).isEqualTo(concat(new byte[] {0, 0, 0, 1}, slice));
        assertThat(depacketizer.dropped()).isZero();
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

    private static byte[] stapA(byte[]... nals) {
        byte[] packet = {24};
        for (byte[] nal : nals) {
            packet = concat(packet, new byte[] {(byte) (nal.length >> 8), (byte) nal.length}, nal);
        }
        return packet;
    }

    private static byte[] idr() {
        byte[] nal = new byte[1200];
        nal[0] = 0x65;
        for (int i = 1; i < nal.length; i++) {
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
