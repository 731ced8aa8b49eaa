package io.visionfleet.sim.scene;

import io.visionfleet.common.h264.AccessUnit;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("quick")
class SyntheticVideoTest {
    @Test
    void annexBStreamHasOnePicturePerFrameAndParameterSetsOnEveryIdr() {
        List<AccessUnit> units = SyntheticVideo.accessUnits(SyntheticVideo.h264(160, 120, 25, 10, 30));
        assertThat(units).hasSize(30);
        for (int i = 0; i < units.size(); i++) {
            AccessUnit au = units.get(i);
            assertThat(au.isIdr()).as("frame %d is IDR", i).isEqualTo(i % 10 == 0);
            if (au.isIdr()) {
                assertThat(au.nalUnits()).extracting(AccessUnit::nalType).contains(AccessUnit.NAL_SPS, AccessUnit.NAL_PPS);
            }
        }
    }

    @Test
    void mp4DecodesToTheSceneWithTheObjectWhereTheSceneSaysItIs(@TempDir Path dir) throws Exception {
        Path mp4 = SyntheticVideo.mp4(dir.resolve("scene.mp4"), 320, 240, 30, 30, 45);
        SyntheticScene scene = new SyntheticScene(320, 240, SyntheticVideo.OBJECTS);
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(mp4.toFile())) {
            grabber.start();
            assertThat(grabber.getImageWidth()).isEqualTo(320);
            int decoded = 0;
            for (Frame f; (f = grabber.grabImage()) != null; decoded++) {
                if (decoded == 40) {
                    SyntheticScene.Box box = scene.box(0, 40);
                    java.nio.ByteBuffer px = (java.nio.ByteBuffer) f.image[0];
                    int cx = box.x() + box.width() / 2;
                    int cy = box.y() + box.height() / 2;
                    int p = cy * f.imageStride + cx * 3;
                    // object 0 is red in BGR: the encoder keeps the colour within a small error
                    assertThat(px.get(p + 2) & 0xff).isGreaterThan(180);
                    assertThat(px.get(p) & 0xff).isLessThan(90);
                }
            }
            assertThat(decoded).isEqualTo(45);
        }
    }
}
