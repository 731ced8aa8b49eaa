package io.visionfleet.ingest.relay;

import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.common.h264.VideoCodec;
import io.visionfleet.common.rtsp.CaptureClock;
import io.visionfleet.common.rtsp.PacketSession;
import io.visionfleet.common.testing.Ffprobe;
import io.visionfleet.ingest.consumer.RecordingConsumer;
import io.visionfleet.ingest.stream.StreamRegistry;
import io.visionfleet.ingest.testing.FrameRuns;
import io.visionfleet.ingest.testing.PacedFeed;
import io.visionfleet.ingest.testing.ReferenceClip;
import io.visionfleet.ingest.testing.RtspReader;
import io.visionfleet.ingest.testing.TestRelay;
import io.visionfleet.ingest.testing.WsClient;
import jakarta.inject.Inject;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.global.avcodec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * H.265 from libx265 published over the video WebSocket and read back from the relay by the fleet's consumers (both
 * modes), FFmpeg (JavaCV; the ffmpeg and ffprobe CLIs) and GStreamer: every picture decoded exactly as from the
 * file, a late joiner starting at the cached IRAP, and a codec change mid-stream never fed to a reader set up for
 * the other codec.
 */
@QuarkusTest
@Tag("integration")
class H265RelayTest {
    private static final Duration WITHIN = Duration.ofSeconds(30);
    /** Four slices per picture, an IDR every second. */
    private static ReferenceClip slices;

    @Inject
    TestRelay relay;
    @Inject
    StreamRegistry registry;

    @BeforeAll
    static void encode() {
        slices = ReferenceClip.x265(320, 240, 30, 30, 60, 4);
    }

    @Test
    void theClipHasWhatTheTestsClaim() {
        assertThat(slices.frames()).isEqualTo(60);
        assertThat(slices.accessUnits()).extracting(AccessUnit::codec).containsOnly(VideoCodec.H265);
        assertThat(slices.accessUnits().stream().filter(AccessUnit::isIdr)).as("IDRs").hasSize(2);
        AccessUnit second = slices.accessUnits().get(1);
        assertThat(second.nalUnits().stream().filter(nal -> VideoCodec.H265.isSlice(VideoCodec.H265.nalType(nal))))
                .as("slices of one picture").hasSize(4);
    }

    @Test
    void anH265StreamOverTheSocketIsDecodedFrameForFrameByFfmpegAndTheConsumersReader() throws Exception {
        List<String> cliDigests = FfmpegCli.framemd5(slices.annexB());
        assertThat(cliDigests).hasSize(60);
        try (WsClient publisher = WsClient.connect("/ws/video/hevc"); PacedFeed feeding = PacedFeed.over(publisher, slices);
             RtspReader reader = RtspReader.openWhenServed(relay.url("hevc"), WITHIN);
             CliReader cli = new CliReader(relay.url("hevc"))) {
            reader.awaitPictures(75, WITHIN);
            FrameRuns.assertLoopOfClip(reader.digests(), slices.digests(), slices.gopFrames());
            await().atMost(WITHIN).until(() -> cli.count() >= 75);
            assertThat(cli.errors()).as("ffmpeg's errors").isEmpty();
            FrameRuns.assertLoopOfClip(cli.digests(), cliDigests, slices.gopFrames());

            assertThat(Ffprobe.rtspStream(relay.url("hevc"))).isEqualTo("hevc,320,240");
        }
    }

    /** The consumers' reader depacketizes H.265 itself (RFC 7798) and decodes each picture as its last packet arrives. */
    @Test
    void anRtspConsumerDecodesAnH265StreamWithCaptureTimes() throws Exception {
        try (WsClient publisher = WsClient.connect("/ws/video/hevc-consumer");
             PacedFeed feeding = PacedFeed.announcedOver(publisher, slices);
             RecordingConsumer consumer = new RecordingConsumer(relay.url(""))) {
            consumer.follow("hevc-consumer");
            await().atMost(WITHIN).until(() -> consumer.seen().size() >= 75);
            // latest frame wins, so a busy machine may skip pictures: each frame is the picture published with its
            // capture time, exactly decoded, in publishing order
            long previous = -1;
            for (RecordingConsumer.Seen seen : List.copyOf(consumer.seen())) {
                long published = feeding.pictureAt(seen.captureTs());
                assertThat(seen.captureTs()).as("capture time of a published picture")
                        .isCloseTo(feeding.captureTs(published), within(1L));
                assertThat(slices.pictureOf(seen.digest())).as("frame %d is the picture published at its capture time",
                        seen.frameNumber()).isEqualTo((int) (published % slices.frames()));
                if (previous < 0) {
                    assertThat(published % slices.gopFrames()).as("first picture is an IRAP").isZero();
                } else {
                    assertThat(published).as("picture after picture %d", previous).isGreaterThan(previous);
                }
                previous = published;
            }
        }
    }

    /** Storage's mode: every access unit undecoded, with what a muxer needs from the session description. */
    @Test
    void aPacketSessionHandsOutEachAccessUnitWithItsCaptureTimeAndTheStreamsParameters() throws Exception {
        try (WsClient publisher = WsClient.connect("/ws/video/hevc-packets");
             PacedFeed feeding = PacedFeed.announcedOver(publisher, slices)) {
            await().atMost(WITHIN).until(() -> registry.find("hevc-packets").map(RelayStream::hasParameterSets).orElse(false));
            try (PacketSession session = PacketSession.open(relay.url("hevc-packets"), Duration.ofSeconds(2))) {
                AVCodecParameters codec = session.formatContext().streams(0).codecpar();
                assertThat(codec.codec_id()).isEqualTo(avcodec.AV_CODEC_ID_HEVC);
                assertThat(codec.extradata_size()).as("VPS, SPS and PPS from the description").isPositive();
                long previous = -1;
                for (int i = 0; i < 45; i++) {
                    AVPacket packet = session.grabVideoPacket();
                    assertThat(packet).as("packet %d", i).isNotNull();
                    assertThat(CaptureClock.hasRealtimeAnchor(session.startTimeRealtimeUs())).isTrue();
                    long captureTs = CaptureClock.captureTs(session.startTimeRealtimeUs(), session.packetPtsMicros(packet));
                    long published = feeding.pictureAt(captureTs);
                    assertThat(captureTs).as("capture time of a published picture").isCloseTo(feeding.captureTs(published), within(1L));
                    boolean key = (packet.flags() & avcodec.AV_PKT_FLAG_KEY) != 0;
                    assertThat(key).as("key flag of picture %d", published).isEqualTo(published % slices.gopFrames() == 0);
                    if (previous < 0) {
                        assertThat(key).as("the first packet is the cached IRAP").isTrue();
                        assertThat(codec.width()).as("size from the key frame").isEqualTo(320);
                        assertThat(codec.height()).isEqualTo(240);
                    } else {
                        assertThat(published).as("every picture, in order").isEqualTo(previous + 1);
                    }
                    previous = published;
                    avcodec.av_packet_unref(packet);
                }
            }
        }
    }

    @Test
    void gstreamerDepacketizesAndDecodesTheStream() throws Exception {
        Gstreamer.assumeElements("rtph265depay", "avdec_h265");
        try (WsClient publisher = WsClient.connect("/ws/video/hevc-gst")) {
            publisher.sendText("{\"type\":\"video_config\",\"codec\":\"hevc\",\"width\":320,\"height\":240,\"fps\":30}");
            assertThat(publisher.reply(WITHIN)).as("a declared H.265 stream").contains("\"type\":\"ack\"");
            PacedFeed feeding = PacedFeed.over(publisher, slices);
            await().atMost(WITHIN).until(() -> registry.find("hevc-gst").map(RelayStream::hasParameterSets).orElse(false));
            Gstreamer.assertPlays(relay.url("hevc-gst"), "rtph265depay", "avdec_h265", WITHIN);
            feeding.close();
        }
    }

    /** The feed stops within the GOP, so the reader can only start at the cached IRAP, however long joining takes. */
    @Test
    void aLateJoinerStartsAtTheCachedIrapThoughNoOtherFollows() throws Exception {
        ReferenceClip longGop = ReferenceClip.x265(320, 240, 30, 120, 90, 1);
        try (WsClient publisher = WsClient.connect("/ws/video/hevc-gop");
             PacedFeed feeding = PacedFeed.announcedOver(publisher, longGop, longGop.frames())) {
            await().atMost(WITHIN).until(() -> feeding.published() >= 45); // 1.5 s into the GOP
            long joinedMs = System.currentTimeMillis();
            try (RtspReader reader = RtspReader.openWhenServed(relay.url("hevc-gop"), WITHIN)) {
                reader.awaitPictures(60, WITHIN);
                RtspReader.Picture first = reader.pictures().get(0);
                System.out.printf("H.265 late joiner: first picture (the cached IRAP) %d ms after joining%n",
                        first.decodedMs() - joinedMs);
                assertThat(longGop.pictureOf(first.digest())).as("first picture is the GOP's IRAP").isZero();
                assertThat(feeding.pictureAt(first.captureTs())).as("the IRAP captured before the join").isZero();
                FrameRuns.assertLoopOfClip(reader.digests(), longGop.digests(), longGop.gopFrames());
            }
        }
    }

    @Test
    void aCodecChangeMidStreamEndsTheReadersOfTheOldCodecAndNewOnesDecodeTheNew() throws Exception {
        ReferenceClip h264 = ReferenceClip.synthetic(320, 240, 30, 30, 60);
        try (WsClient publisher = WsClient.connect("/ws/video/switch")) {
            PacedFeed feeding = PacedFeed.over(publisher, h264);
            try (RtspReader before = RtspReader.openWhenServed(relay.url("switch"), WITHIN)) {
                before.awaitPictures(20, WITHIN);
                feeding.close();
                publisher.sendBinary(slices.annexB());
                await().atMost(WITHIN).until(before::ended);
                assertThat(before.digests()).as("only H.264 pictures, none mis-packetized")
                        .allSatisfy(digest -> assertThat(h264.pictureOf(digest)).isNotNegative());
            }
            try (RtspReader after = RtspReader.openWhenServed(relay.url("switch"), WITHIN)) {
                after.awaitPictures(20, WITHIN);
                assertThat(after.digests()).as("the H.265 clip")
                        .allSatisfy(digest -> assertThat(slices.pictureOf(digest)).isNotNegative());
                assertThat(slices.pictureOf(after.digests().get(0)) % slices.gopFrames()).as("starts at an IRAP").isZero();
                feeding = PacedFeed.over(publisher, h264);
                await().atMost(WITHIN).until(after::ended);
            }
            try (PacedFeed h264Again = feeding; RtspReader back = RtspReader.openWhenServed(relay.url("switch"), WITHIN)) {
                back.awaitPictures(20, WITHIN);
                FrameRuns.assertLoopOfClip(back.digests(), h264.digests(), h264.gopFrames());
            }
        }
    }
}
