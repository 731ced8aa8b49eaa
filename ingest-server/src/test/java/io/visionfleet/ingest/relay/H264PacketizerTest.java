package io.visionfleet.ingest.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.common.h264.ParameterSets;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class H264PacketizerTest {
    private final H264Packetizer packetizer = new H264Packetizer(UnpooledByteBufAllocator.DEFAULT);
    private final ParameterSets parameterSets = new ParameterSets(TestNals.SPS, TestNals.PPS);

    @Test
    void smallNalUnitsTravelAsSingleNalPacketsUnchanged() {
        byte[] slice = TestNals.pSlice(H264Packetizer.MAX_PAYLOAD);
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
            assertThat(fragment.length).isLessThanOrEqualTo(H264Packetizer.MAX_PAYLOAD);
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
        assertThat(ByteBufUtil.getBytes(first)).hasSize(H264Packetizer.MAX_PAYLOAD);
        first.release();
        assertThat(first.refCnt()).isZero();
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
