package io.visionfleet.ingest.source;

import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.common.h264.VideoCodec;
import io.visionfleet.ingest.testing.ReferenceClip;
import io.visionfleet.sim.scene.SyntheticVideo;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;

@Tag("quick")
class PacketConverterTest {
    private static final byte[] SPS = {0x67, 0x42, (byte) 0xc0, 0x1e, (byte) 0xda, 0x02};
    private static final byte[] PPS = {0x68, (byte) 0xce, 0x3c, (byte) 0x80};
    private static final byte[] IDR = {0x65, (byte) 0x88, (byte) 0x84, 0x00, 0x00, 0x03, 0x00, 0x21};
    private static final byte[] SLICE = {0x41, (byte) 0x9a, 0x02, 0x03};
    private static final int MAX_NAL = 1 << 20;

    @Test
    void avccPacketsBecomeNalUnitsWithParameterSetsBeforeEachIdr() {
        PacketConverter converter = PacketConverter.forExtradata(VideoCodec.H264, avcc(4, SPS, PPS), MAX_NAL);
        assertThat(converter.lengthPrefixed()).isTrue();
        assertThat(converter.parameterSets()).containsExactly(SPS, PPS);
        assertThat(converter.nalUnits(lengthPrefixed(4, IDR))).containsExactly(SPS, PPS, IDR);
        assertThat(converter.nalUnits(lengthPrefixed(4, SLICE, SLICE))).containsExactly(SLICE, SLICE);
        // an IDR that already brings its own SPS gets no second copy
        assertThat(converter.nalUnits(lengthPrefixed(4, SPS, PPS, IDR))).containsExactly(SPS, PPS, IDR);
    }

    @Test
    void twoByteLengthFieldsAreHonoured() {
        PacketConverter converter = PacketConverter.forExtradata(VideoCodec.H264, avcc(2, SPS, PPS), MAX_NAL);
        assertThat(converter.nalUnits(lengthPrefixed(2, IDR, IDR))).containsExactly(SPS, PPS, IDR, IDR);
    }

    @Test
    void lengthsRunningPastThePacketOrTheLimitAreMalformed() {
        PacketConverter converter = PacketConverter.forExtradata(VideoCodec.H264, avcc(4, SPS, PPS), 6);
        byte[] truncated = lengthPrefixed(4, SLICE);
        truncated[3] = 9;
        assertThatThrownBy(() -> converter.nalUnits(truncated)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("runs past");
        assertThatThrownBy(() -> converter.nalUnits(new byte[]{0, 0})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inside a NAL length field");
        assertThatThrownBy(() -> converter.nalUnits(lengthPrefixed(4, IDR))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit of 6");
    }

    @Test
    void brokenAvccRecordsAreRefused() {
        assertThatThrownBy(() -> PacketConverter.forExtradata(VideoCodec.H264, new byte[]{1, 0x42, 0, 0x1e}, MAX_NAL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too short");
        byte[] cut = avcc(4, SPS, PPS);
        assertThatThrownBy(() -> PacketConverter.forExtradata(VideoCodec.H264, java.util.Arrays.copyOf(cut, 10), MAX_NAL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("runs past the record");
    }

    @Test
    void brokenHvccRecordsAreRefused() {
        byte[] tooShort = new byte[22];
        tooShort[0] = 1; // configurationVersion
        assertThatThrownBy(() -> PacketConverter.forExtradata(VideoCodec.H265, tooShort, MAX_NAL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too short");
        byte[] oneArray = new byte[23 + 3 + 2 + 1];
        oneArray[0] = 1;
        oneArray[21] = 3; // 4-byte lengths
        oneArray[22] = 1; // one array
        oneArray[23] = 32; // of VPS
        oneArray[25] = 1; // holding one unit
        oneArray[27] = 9; // of 9 bytes, but the record ends after 1
        assertThatThrownBy(() -> PacketConverter.forExtradata(VideoCodec.H265, oneArray, MAX_NAL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("runs past the record");
        oneArray[22] = 2; // a second array whose header is missing
        oneArray[27] = 1;
        assertThatThrownBy(() -> PacketConverter.forExtradata(VideoCodec.H265, oneArray, MAX_NAL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inside an array header");
    }

    @Test
    void annexBPacketsAndExtradataAreSplitAtStartCodes() {
        byte[] extradata = annexB(SPS, PPS);
        PacketConverter converter = PacketConverter.forExtradata(VideoCodec.H264, extradata, MAX_NAL);
        assertThat(converter.lengthPrefixed()).isFalse();
        assertThat(converter.parameterSets()).containsExactly(SPS, PPS);
        assertThat(converter.nalUnits(annexB(IDR))).containsExactly(SPS, PPS, IDR);
        assertThat(converter.nalUnits(annexB(SLICE))).containsExactly(SLICE);
        assertThat(PacketConverter.forExtradata(VideoCodec.H264, new byte[0], MAX_NAL).nalUnits(annexB(IDR))).containsExactly(IDR);
        assertThatThrownBy(() -> converter.nalUnits(annexB(new byte[]{(byte) 0xe5, 1})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid or oversized");
    }

    /** The MP4 demuxer's packets, converted, are exactly the access units of the same scene encoded as Annex-B. */
    @Test
    void mp4PacketsMatchTheAnnexBEncodingOfTheSameScene(@TempDir Path dir) throws Exception {
        Path mp4 = SyntheticVideo.mp4(dir.resolve("scene.mp4"), 160, 120, 25, 10, 25);
        assertConvertsToTheAccessUnits(mp4, VideoCodec.H264,
                SyntheticVideo.accessUnits(SyntheticVideo.h264(160, 120, 25, 10, 25)));
    }

    /** The same for H.265 in an MP4 ({@code hvcC} record with VPS, SPS and PPS): libx265's clip remuxed. */
    @Test
    void h265Mp4PacketsAreTheAccessUnitsOfTheAnnexBClip(@TempDir Path dir) throws Exception {
        ReferenceClip clip = ReferenceClip.x265(160, 120, 25, 10, 25, 2);
        assertConvertsToTheAccessUnits(clip.mp4(dir.resolve("clip.mp4")), VideoCodec.H265, clip.accessUnits());
    }

    private static void assertConvertsToTheAccessUnits(Path mp4, VideoCodec codec, List<AccessUnit> expected)
            throws Exception {
        List<List<byte[]>> converted = new ArrayList<>();
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(mp4.toString());
        grabber.startUnsafe();
        try {
            AVCodecParameters parameters = grabber.getFormatContext().streams(grabber.getVideoStream()).codecpar();
            byte[] extradata = new byte[parameters.extradata_size()];
            parameters.extradata().get(extradata);
            PacketConverter converter = PacketConverter.forExtradata(codec, extradata, MAX_NAL);
            assertThat(converter.lengthPrefixed()).isTrue();
            for (AVPacket packet; (packet = grabber.grabPacket()) != null; ) {
                byte[] data = new byte[packet.size()];
                packet.data().get(data);
                av_packet_unref(packet);
                converted.add(converter.nalUnits(data));
            }
        } finally {
            grabber.releaseUnsafe();
        }

        assertThat(converted).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(withoutParameterSets(codec, converted.get(i))).as("slices of picture %d", i)
                    .containsExactlyElementsOf(withoutParameterSets(codec, expected.get(i).nalUnits()));
            if (expected.get(i).isIdr()) {
                assertThat(converted.get(i)).extracting(codec::nalType).startsWith(codec.parameterSetTypes().toArray(Integer[]::new));
            }
        }
    }

    /** The slices and SEI, without trailing zero bytes: the MP4 keeps an encoder's padding, Annex-B splitting drops it. */
    private static List<byte[]> withoutParameterSets(VideoCodec codec, List<byte[]> nals) {
        return nals.stream().filter(n -> !codec.parameterSetTypes().contains(codec.nalType(n)))
                .map(PacketConverterTest::withoutTrailingZeros).toList();
    }

    private static byte[] withoutTrailingZeros(byte[] nal) {
        int length = nal.length;
        while (length > 1 && nal[length - 1] == 0) {
            length--;
        }
        return java.util.Arrays.copyOf(nal, length);
    }

    static byte[] avcc(int lengthBytes, byte[] sps, byte[] pps) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{1, sps[1], sps[2], sps[3], (byte) (0xfc | (lengthBytes - 1)), (byte) 0xe1});
        out.write(sps.length >> 8);
        out.write(sps.length);
        out.writeBytes(sps);
        out.write(1);
        out.write(pps.length >> 8);
        out.write(pps.length);
        out.writeBytes(pps);
        return out.toByteArray();
    }

    static byte[] lengthPrefixed(int lengthBytes, byte[]... nals) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] nal : nals) {
            for (int i = lengthBytes - 1; i >= 0; i--) {
                out.write(nal.length >> (8 * i));
            }
            out.writeBytes(nal);
        }
        return out.toByteArray();
    }

    static byte[] annexB(byte[]... nals) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] nal : nals) {
            out.writeBytes(new byte[]{0, 0, 0, 1});
            out.writeBytes(nal);
        }
        return out.toByteArray();
    }
}
