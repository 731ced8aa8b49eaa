package io.visionfleet.ingest.fmp4;

import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.ingest.testing.Ffprobe;
import io.visionfleet.ingest.testing.ReferenceClip;
import io.visionfleet.ingest.testing.TestMedia;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The muxer's fragmented MP4, read back by FFmpeg (the demuxer and decoders a browser's MSE stack resembles most
 * here): every picture decodes to exactly the pixels of the Annex-B clip it came from, the sample entry says the
 * cropped size and codec, and each picture's presentation time is its capture time less the segment's base.
 */
@Tag("integration")
class Fmp4MuxerTest {
    private static final long CAPTURE_START = 1_764_000_000_000L;

    @TempDir(factory = TestMedia.class)
    Path dir;

    @Test
    void aRealClipByLibx264DecodesToTheSamePicturesAtItsCaptureTimes() throws Exception {
        ReferenceClip clip = ReferenceClip.reencoded(TestMedia.vtest(), false, 642, 362, 15, 15, 45); // not a whole number of macroblocks
        Path file = mux(clip.accessUnits(), 15, "vtest.mp4");
        assertThat(ReferenceClip.digests(file)).isEqualTo(clip.digests());
        assertThat(Ffprobe.entries(file, "stream=codec_name,codec_tag_string,width,height,profile"))
                .isEqualTo("h264,High,avc1,642,362");
        assertThat(Ffprobe.presentationTimes(file)).isEqualTo(offsets(clip.frames(), 15));
    }

    @Test
    void anH265ClipInSlicesDecodesToTheSamePicturesAtItsCaptureTimes() throws Exception {
        ReferenceClip clip = ReferenceClip.x265(322, 242, 30, 15, 45, 2); // a conformance window on both sides
        Path file = mux(clip.accessUnits(), 30, "x265.mp4");
        assertThat(ReferenceClip.digests(file)).isEqualTo(clip.digests());
        assertThat(Ffprobe.entries(file, "stream=codec_name,codec_tag_string,width,height")).isEqualTo("hevc,hvc1,322,242");
        assertThat(Ffprobe.presentationTimes(file)).isEqualTo(offsets(clip.frames(), 30));
    }

    @Test
    void newParameterSetsStartANewSegmentThatDecodesOnItsOwn() throws Exception {
        ReferenceClip h264 = ReferenceClip.synthetic(320, 240, 30, 10, 20);
        ReferenceClip h265 = ReferenceClip.x265(352, 288, 30, 10, 20, 1);
        Fmp4Muxer muxer = new Fmp4Muxer();
        List<ByteArrayOutputStream> segments = new ArrayList<>();
        List<AccessUnit> all = new ArrayList<>(h264.accessUnits());
        all.addAll(h265.accessUnits());
        for (int i = 0; i < all.size(); i++) {
            AccessUnit au = all.get(i).withCaptureTs(CAPTURE_START + i * 33L);
            byte[] init = au.isIdr() ? muxer.initFor(au) : null;
            if (init != null) {
                segments.add(new ByteArrayOutputStream());
                segments.get(segments.size() - 1).writeBytes(init);
            }
            segments.get(segments.size() - 1).writeBytes(muxer.fragment(au, au.isIdr()));
        }
        assertThat(segments).as("one segment per codec: an IDR with the same parameter sets starts none").hasSize(2);
        Path first = Files.write(dir.resolve("first.mp4"), segments.get(0).toByteArray());
        Path second = Files.write(dir.resolve("second.mp4"), segments.get(1).toByteArray());
        assertThat(ReferenceClip.digests(first)).isEqualTo(h264.digests());
        assertThat(ReferenceClip.digests(second)).isEqualTo(h265.digests());
        assertThat(Ffprobe.presentationTimes(second).get(0)).as("the new segment's times start at its own first picture").isZero();
    }

    private Path mux(List<AccessUnit> accessUnits, int fps, String name) throws IOException {
        Fmp4Muxer muxer = new Fmp4Muxer();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < accessUnits.size(); i++) {
            AccessUnit au = accessUnits.get(i).withCaptureTs(CAPTURE_START + i * 1000L / fps);
            if (au.isIdr()) {
                byte[] init = muxer.initFor(au);
                if (init != null) {
                    assertThat(out.size()).as("the clip's parameter sets never change").isZero();
                    out.writeBytes(init);
                }
            }
            out.writeBytes(muxer.fragment(au, au.isIdr()));
        }
        assertThat(muxer.baseTs()).isEqualTo(CAPTURE_START);
        return Files.write(dir.resolve(name), out.toByteArray());
    }

    private static List<Long> offsets(int frames, int fps) {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            times.add(i * 1000L / fps);
        }
        return times;
    }
}
