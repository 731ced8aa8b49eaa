package io.visionfleet.ingest.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.common.h264.ParameterSets;
import io.visionfleet.common.h264.VideoCodec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("quick")
class RtpPacketizerTest {
    private final RtpPacketizer packetizer = new RtpPacketizer(UnpooledByteBufAllocator.DEFAULT);
    private final ParameterSets parameterSets = new ParameterSets(TestNals.SPS, TestNals.PPS);

    @Test
    void smallNalUnitsTravelAsSingleNalPacketsUnchanged() {
        byte[] slice = TestNals.pSlice(RtpPacketizer.MAX_PAYLOAD);
        PacketizedAccessUnit au = packetizer.packetize(new AccessUnit(List.of(TestNals.AUD, slice), 1000), parameterSets, 42);

        assertThat(payloads(au)).containsExactly(TestNals.AUD, slice);
        assertThat(au.rtpTimestamp()).isEqualTo(42);
        assertThat(au.captureTs()).isEqualTo(1000);
        assertThat(au.idr()).isFalse();
        assertThat(au.payloadBytes()).isEqualTo(TestNals.AUD.length + slice.length);
        au.release();
    }

    @Test
    void largeNalUnitIsSplitIntoFuAFragmentsThatReassembleExactly() {
        byte[] slice = TestNals.pSlice(5000);
        PacketizedAccessUnit au = packetizer.packetize(new AccessUnit(List.of(slice), 0), parameterSets, 0);

        List<byte[]> fragments = payloads(au);
        assertThat(fragments).hasSize(4); // 4999 bytes after the NAL header, 1398 per fragment
        ByteArrayOutputStream reassembled = new ByteArrayOutputStream();
        reassembled.write(slice[0]);
        for (int i = 0; i < fragments.size(); i++) {
            byte[] fragment = fragments.get(i);
            assertThat(fragment.length).isLessThanOrEqualTo(RtpPacketizer.MAX_PAYLOAD);
            assertThat(fragment[0] & 0x1f).as("FU indicator type").isEqualTo(28);
            assertThat(fragment[0] & 0xe0).as("forbidden bit and NRI of the original").isEqualTo(slice[0] & 0xe0);
            assertThat((fragment[1] & 0x80) != 0).as("start bit").isEqualTo(i == 0);
            assertThat((fragment[1] & 0x40) != 0).as("end bit").isEqualTo(i == fragments.size() - 1);
            assertThat(fragment[1] & 0x20).as("reserved bit").isZero();
            assertThat(fragment[1] & 0x1f).as("original type").isEqualTo(slice[0] & 0x1f);
            reassembled.write(fragment, 2, fragment.length - 2);
        }
        assertThat(reassembled.toByteArray()).isEqualTo(slice);
        au.release();
    }

    @Test
    void idrWithoutParameterSetsGetsThemAfterItsDelimiter() {
        byte[] slice = TestNals.idrSlice(300);
        PacketizedAccessUnit au = packetizer.packetize(new AccessUnit(List.of(TestNals.AUD, slice), 0), parameterSets, 0);

        assertThat(au.idr()).isTrue();
        assertThat(payloads(au)).containsExactly(TestNals.AUD, TestNals.SPS, TestNals.PPS, slice);
        au.release();
    }

    @Test
    void idrCarryingItsOwnParameterSetsIsLeftAlone() {
        byte[] otherSps = TestNals.SPS.clone();
        otherSps[3] = 0x28;
        byte[] slice = TestNals.idrSlice(300);
        PacketizedAccessUnit au = packetizer.packetize(new AccessUnit(List.of(otherSps, TestNals.PPS, slice), 0),
                parameterSets, 0);

        assertThat(payloads(au)).containsExactly(otherSps, TestNals.PPS, slice);
        au.release();
    }

    @Test
    void nonIdrPicturesGetNoParameterSets() {
        byte[] slice = TestNals.pSlice(100);
        PacketizedAccessUnit au = packetizer.packetize(new AccessUnit(List.of(slice), 0), parameterSets, 0);

        assertThat(payloads(au)).containsExactly(slice);
        au.release();
    }

    @Test
    void payloadSlicesShareOneBufferAndOutliveTheUnitUntilReleased() {
        PacketizedAccessUnit au = packetizer.packetize(TestNals.p(0, 3000), parameterSets, 0);
        ByteBuf first = au.retainedPayload(0);
        au.release();

        assertThat(first.refCnt()).isEqualTo(1);
        assertThat(ByteBufUtil.getBytes(first)).hasSize(RtpPacketizer.MAX_PAYLOAD);
        first.release();
        assertThat(first.refCnt()).isZero();
    }

    @Test
    void h265ParameterSetsShareAnAggregationPacketAndALargeSliceTravelsAsFragmentationUnits() {
        byte[] vps = {0x40, 0x01, 0x0c, 0x01};
        byte[] sps = {0x42, 0x01, 0x01, 0x01, 0x60};
        byte[] pps = {0x44, 0x01, (byte) 0xc1, 0x72};
        byte[] idr = new byte[3000];
        idr[0] = 0x26; // IDR_W_RADL
        idr[1] = 0x01; // layer 0, TID 0
        for (int i = 2; i < idr.length; i++) {
            idr[i] = (byte) (i * 7 + 1);
        }
        ParameterSets sets = new ParameterSets(VideoCodec.H265, List.of(vps, sps, pps));
        PacketizedAccessUnit au = packetizer.packetize(new AccessUnit(VideoCodec.H265, List.of(idr), 0), sets, 0);

        List<byte[]> packets = payloads(au);
        assertThat(au.idr()).isTrue();
        byte[] ap = packets.get(0);
        assertThat((ap[0] >> 1) & 0x3f).as("AP type").isEqualTo(48);
        assertThat(ap[1]).as("layer 0, TID 1").isEqualTo((byte) 0x01);
        ByteArrayOutputStream aggregated = new ByteArrayOutputStream();
        for (byte[] nal : List.of(vps, sps, pps)) {
            aggregated.write(0);
            aggregated.write(nal.length);
            aggregated.writeBytes(nal);
        }
        assertThat(java.util.Arrays.copyOfRange(ap, 2, ap.length)).isEqualTo(aggregated.toByteArray());

        List<byte[]> fragments = packets.subList(1, packets.size());
        assertThat(fragments).hasSize(3); // 2998 bytes after the 2-byte header, 1397 per fragment
        ByteArrayOutputStream reassembled = new ByteArrayOutputStream();
        reassembled.write(idr, 0, 2);
        for (int i = 0; i < fragments.size(); i++) {
            byte[] fragment = fragments.get(i);
            assertThat(fragment.length).isLessThanOrEqualTo(RtpPacketizer.MAX_PAYLOAD);
            assertThat((fragment[0] >> 1) & 0x3f).as("FU type").isEqualTo(49);
            assertThat(fragment[1]).as("layer id and TID of the original").isEqualTo(idr[1]);
            assertThat((fragment[2] & 0x80) != 0).as("start bit").isEqualTo(i == 0);
            assertThat((fragment[2] & 0x40) != 0).as("end bit").isEqualTo(i == fragments.size() - 1);
            assertThat(fragment[2] & 0x3f).as("original type").isEqualTo(19);
            reassembled.write(fragment, 3, fragment.length - 3);
        }
        assertThat(reassembled.toByteArray()).isEqualTo(idr);
        assertThat(au.nals().nalUnits()).containsExactly(vps, sps, pps, idr);
        au.release();
    }

    static List<byte[]> payloads(PacketizedAccessUnit au) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < au.packetCount(); i++) {
            ByteBuf payload = au.retainedPayload(i);
            out.add(ByteBufUtil.getBytes(payload));
            payload.release();
        }
        return out;
    }
}
