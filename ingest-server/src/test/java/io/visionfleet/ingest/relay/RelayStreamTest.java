package io.visionfleet.ingest.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.common.h264.VideoCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The stream's fan-out logic with in-memory channels: what each reader receives, in which order. */
@Tag("quick")
class RelayStreamTest {
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private RelayStream stream = new RelayStream("s1", "test", TestRelayConfig.defaults());

    @AfterEach
    void close() {
        stream.close();
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    @Test
    void lateJoinerGetsAReportThenTheCachedGopThenLivePicturesWithoutGapOrDuplicate() {
        stream.publish(TestNals.idr(1000, 5000));
        stream.publish(TestNals.p(1033, 800));
        stream.publish(TestNals.p(1067, 2500));
        Reader reader = attach("late");
        stream.publish(TestNals.p(1100, 900));

        List<Object> received = reader.drain();
        assertThat(received).hasSize(5);
        ReceivedReport report = (ReceivedReport) received.get(0);
        List<PacketizationChecker.Unit> units = received.subList(1, 5).stream().map(PacketizationChecker.Unit.class::cast).toList();
        assertThat(report.epochMs()).as("report carries the capture time of the first picture").isEqualTo(1000);
        assertThat(report.ntp()).isEqualTo(SenderReport.ntpTimestamp(1000));
        assertThat(report.rtpTimestamp()).isEqualTo(units.get(0).rtpTimestamp());
        assertThat(units.get(0).nals()).containsExactly(TestNals.SPS, TestNals.PPS, TestNals.idrSlice(5000));
        assertThat(units.get(3).nals()).containsExactly(TestNals.pSlice(900));
        long[] captures = {1000, 1033, 1067, 1100};
        for (int i = 0; i < captures.length; i++) {
            assertThat(units.get(i).rtpTimestamp() - report.rtpTimestamp()).isEqualTo((int) (captures[i] - 1000) * 90);
        }
    }

    @Test
    void everySenderReportMapsRtpTimeToCaptureTimeTheSameWay() {
        stream = new RelayStream("s1", "test", new TestRelayConfig(1 << 20, 1 << 20, 0)); // a report before every picture
        Reader reader = attach("r");
        for (int i = 0; i < 10; i++) {
            stream.publish(i % 5 == 0 ? TestNals.idr(5000 + i * 40L, 300) : TestNals.p(5000 + i * 40L, 200));
        }

        List<ReceivedReport> reports = reader.drain().stream().filter(ReceivedReport.class::isInstance)
                .map(ReceivedReport.class::cast).toList();
        assertThat(reports).hasSize(10);
        ReceivedReport first = reports.get(0);
        for (ReceivedReport report : reports) {
            assertThat(report.rtpTimestamp() - first.rtpTimestamp()).isEqualTo((int) (report.epochMs() - first.epochMs()) * 90);
            assertThat(report.ssrc()).isEqualTo(stream.ssrc());
        }
        assertThat(reports.get(9).packetCount()).as("packets before the last report: two IDRs of 3, seven P of 1").isEqualTo(13);
    }

    @Test
    void slowReaderLosesWholePicturesAndResumesAtAnIdrWhileOthersGetEverything() {
        stream.publish(TestNals.idr(0, 3000));
        Reader slow = attach("slow");
        Reader fast = attach("fast");
        stream.publish(TestNals.p(33, 3000));

        slow.writable(false);
        stream.publish(TestNals.p(67, 3000));
        stream.publish(TestNals.p(100, 3000));
        slow.writable(true);
        stream.publish(TestNals.p(133, 3000));
        stream.publish(new AccessUnit(List.of(TestNals.idrSlice(3000)), 167)); // an IDR without parameter sets
        stream.publish(TestNals.p(200, 3000));

        List<PacketizationChecker.Unit> slowUnits = slow.units();
        assertThat(slowUnits).hasSize(4); // IDR, P, then the IDR and P after the gap
        assertThat(slowUnits.get(2).nals()).as("parameter sets come with the resync IDR")
                .containsExactly(TestNals.SPS, TestNals.PPS, TestNals.idrSlice(3000));
        assertThat(fast.units()).hasSize(7);

        RelayStats stats = stream.stats();
        assertThat(stats.readers()).extracting(RelayStats.Reader::id, RelayStats.Reader::drops, RelayStats.Reader::accessUnitsSent,
                        RelayStats.Reader::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("slow", 3L, 4L, "playing"),
                        org.assertj.core.groups.Tuple.tuple("fast", 0L, 7L, "playing"));
        assertThat(stats.totalDrops()).isEqualTo(3);
    }

    @Test
    void readerStaysQuietUntilAnIdrWhenTheGopOutgrewTheCache() {
        stream = new RelayStream("s1", "test", new TestRelayConfig(1 << 20, 4000, 5));
        stream.publish(TestNals.idr(0, 3000));
        stream.publish(TestNals.p(33, 2000)); // 5000 bytes: over the limit, the cache is emptied
        Reader reader = attach("r");
        stream.publish(TestNals.p(67, 100));
        assertThat(reader.drain()).isEmpty();
        assertThat(stream.stats().readers().get(0).state()).isEqualTo("starting");

        stream.publish(TestNals.idr(100, 300));
        List<Object> received = reader.drain();
        assertThat(received).hasSize(2);
        assertThat(((ReceivedReport) received.get(0)).epochMs()).isEqualTo(100);
        assertThat(((PacketizationChecker.Unit) received.get(1)).isIdr()).isTrue();
        assertThat(stream.stats().readers().get(0).drops()).as("nothing was lost: the reader had not started").isZero();
    }

    @Test
    void picturesBeforeParameterSetsAreCountedButNotServed() {
        AtomicLong nanos = new AtomicLong(5_000_000_000L);
        stream = new RelayStream("s1", "test", TestRelayConfig.defaults(), nanos::get);
        stream.publish(new AccessUnit(List.of(TestNals.idrSlice(100)), 0));
        assertThat(stream.hasParameterSets()).isFalse();
        assertThat(stream.sdp()).isEmpty();

        stream.publish(TestNals.idr(33, 100));
        nanos.addAndGet(400_000_000L);
        RelayStats stats = stream.stats();
        assertThat(stats.hasParameterSets()).isTrue();
        assertThat(stream.sdp()).get().asString().contains("profile-level-id=42c01e");
        assertThat(stats.accessUnitsIn()).isEqualTo(2);
        assertThat(stats.bytesIn()).isEqualTo(100 + TestNals.SPS.length + TestNals.PPS.length + 100);
        assertThat(stats.inputFps()).isEqualTo(2);
        assertThat(stats.bitrateBps()).isEqualTo(stats.bytesIn() * 8);
        assertThat(stats.lastIdrAgeMs()).isEqualTo(400L);
    }

    @Test
    void closeDisconnectsEveryReaderAndIgnoresLaterPictures() {
        stream.publish(TestNals.idr(0, 100));
        Reader reader = attach("r");
        reader.drain();

        stream.close();
        stream.publish(TestNals.p(33, 100));

        assertThat(reader.channel.isOpen()).isFalse();
        assertThat(reader.drain()).isEmpty();
        assertThat(stream.stats().readers()).isEmpty();
        assertThat(stream.attach(stream.newReader("x", new EmbeddedChannel(), 0, 1), VideoCodec.H264)).isFalse();
    }

    @Test
    void aCodecChangeDisconnectsTheReadersOfTheOldCodecAndDescribesTheNewOneOnceItsSetsArrive() {
        stream.publish(TestNals.idr(0, 100));
        Reader reader = attach("h264");
        reader.drain();
        byte[] vps = {0x40, 0x01, 0x0c, 0x01};
        byte[] sps = {0x42, 0x01, 0x01, 0x01, 0x60};
        byte[] pps = {0x44, 0x01, (byte) 0xc1, 0x72};
        byte[] cra = {0x2a, 0x01, (byte) 0xa0, 0x11};

        stream.publish(new AccessUnit(VideoCodec.H265, List.of(cra), 33));

        assertThat(reader.channel.isOpen()).as("told by the close: its session described H.264").isFalse();
        assertThat(reader.drain()).as("never fed H.265").isEmpty();
        assertThat(stream.codec()).isEqualTo(VideoCodec.H265);
        assertThat(stream.sdp()).as("no DESCRIBE until VPS, SPS and PPS").isEmpty();
        assertThat(stream.attach(stream.newReader("old", new EmbeddedChannel(), 0, 1), VideoCodec.H264))
                .as("a session described before the change").isFalse();

        stream.publish(new AccessUnit(VideoCodec.H265, List.of(vps, sps, pps, cra), 66));
        assertThat(stream.sdp()).hasValueSatisfying(sdp -> assertThat(sdp).contains("a=rtpmap:96 H265/90000"));
        assertThat(stream.stats().readers()).isEmpty();
    }

    private Reader attach(String id) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channels.add(channel);
        RelayReader reader = stream.newReader(id, channel, 0, 1);
        assertThat(stream.attach(reader, stream.codec())).isTrue();
        return new Reader(channel);
    }

    /** What one in-memory reader channel received: sender reports and reassembled pictures, in order. */
    private static final class Reader {
        private final EmbeddedChannel channel;
        private final PacketizationChecker checker = new PacketizationChecker();

        Reader(EmbeddedChannel channel) {
            this.channel = channel;
        }

        void writable(boolean writable) {
            channel.unsafe().outboundBuffer().setUserDefinedWritability(1, writable);
        }

        List<Object> drain() {
            List<Object> out = new ArrayList<>();
            for (Object msg; (msg = channel.readOutbound()) != null; ) {
                if (msg instanceof InterleavedFrame frame) {
                    accept(frame.channel(), ByteBufUtil.getBytes(frame.payload()), out);
                } else {
                    ByteBuf framed = ((InterleavedBurst) msg).content();
                    while (framed.isReadable()) {
                        assertThat(framed.readByte()).isEqualTo((byte) '$');
                        int frameChannel = framed.readUnsignedByte();
                        byte[] payload = new byte[framed.readUnsignedShort()];
                        framed.readBytes(payload);
                        accept(frameChannel, payload, out);
                    }
                }
                ReferenceCountUtil.release(msg);
            }
            return out;
        }

        private void accept(int frameChannel, byte[] payload, List<Object> out) {
            if (frameChannel == 1) {
                out.add(ReceivedReport.parse(payload));
            } else {
                assertThat(frameChannel).isZero();
                PacketizationChecker.Unit unit = checker.accept(RtpPacket.parse(payload));
                if (unit != null) {
                    out.add(unit);
                }
            }
        }

        List<PacketizationChecker.Unit> units() {
            return drain().stream().filter(PacketizationChecker.Unit.class::isInstance).map(PacketizationChecker.Unit.class::cast).toList();
        }
    }
}
