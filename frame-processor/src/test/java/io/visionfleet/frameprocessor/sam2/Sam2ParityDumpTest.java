package io.visionfleet.frameprocessor.sam2;

import io.visionfleet.sim.scene.FrameTruth;
import io.visionfleet.sim.scene.GroundTruthScene;
import io.visionfleet.sim.scene.GroundTruthScenes;
import io.visionfleet.sim.scene.SyntheticVideo;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java half of the parity harness (bench/sam2/parity.sh) on the contract-test graphs: frames cut from a clip, three
 * prompted objects (one added later) and a correction of the first, logits dumped per frame and object; and the bfloat16 rounding of stored
 * memories, which follows PyTorch's.
 */
@Tag("quick")
class Sam2ParityDumpTest {
    private static final int SIDE = 512;
    private static final int FRAMES = 12;
    private static final int START = 60;

    @TempDir
    Path dir;

    @Test
    void dumpsTheLogitsOfEveryObjectOnEveryFrameForTheParityCheck() throws Exception {
        GroundTruthScene scene = GroundTruthScenes.crossing(320, 180);
        // the clip starts at the scene's frame 60, when the red, blue and green actors are all in view
        Path clip = SyntheticVideo.mp4(dir.resolve("clip.mp4"), 320, 180, 30, 30, 20, (i, bgr) -> scene.render(START + i, bgr));
        Path frames = dir.resolve("frames");
        Sam2ParityDump.frames(clip, frames, FRAMES, SIDE);
        assertThat(Files.list(frames).count()).isEqualTo(FRAMES);
        Path models = Sam2TestGraphs.write(dir.resolve("models"), "tiny", "fp32", SIDE, 32);
        double sx = SIDE / 320.0;
        double sy = SIDE / 180.0;
        int[] red = scene.truth(START).object(1).orElseThrow().bbox();
        int[] blue = scene.truth(START).object(2).orElseThrow().bbox();
        FrameTruth at5 = scene.truth(START + 5);
        int[] third = blue; // a box on the blue actor again: with the harness's rule it starts a new object anyway
        Path prompts = Files.writeString(dir.resolve("prompts.json"), String.format(Locale.ROOT, """
                {"frames": %d, "side": 512, "objects": [
                  {"id": 1, "frame": 0, "box": [%.1f, %.1f, %.1f, %.1f]},
                  {"id": 2, "frame": 0, "points": [[%.1f, %.1f, 1], [%.1f, %.1f, 0]]},
                  {"id": 3, "frame": 5, "box": [%.1f, %.1f, %.1f, %.1f]},
                  {"id": 1, "frame": 8, "points": [[%.1f, %.1f, 1]]}]}
                """, FRAMES,
                red[0] * sx, red[1] * sy, (red[0] + red[2]) * sx, (red[1] + red[3]) * sy,
                (blue[0] + blue[2] / 2.0) * sx, (blue[1] + blue[3] / 2.0) * sy, 5.0, 5.0,
                third[0] * sx, third[1] * sy, (third[0] + third[2]) * sx, (third[1] + third[3]) * sy,
                (red[0] + red[2] / 2.0) * sx, (red[1] + red[3] / 2.0) * sy));
        assertThat(at5.object(2)).isPresent();
        Path out = dir.resolve("java");

        int written = Sam2ParityDump.engine(models, frames, prompts, out, "tiny");

        assertThat(written).as("the prompt on object 1 at frame 8 corrects it, no fourth object")
                .isEqualTo(2 * FRAMES + (FRAMES - 5));
        List<String> scores = Files.readAllLines(out.resolve("scores.jsonl"));
        assertThat(scores).hasSize(written);
        assertThat(scores.get(0)).startsWith("{\"frame\":0,\"object\":1,\"object_score\":");
        int side = 4 * 32;
        float[] logits = read(out.resolve("t00_o1.f32"), side * side);
        int cx = (int) ((red[0] + red[2] / 2.0) / 320 * side);
        int cy = (int) ((red[1] + red[3] / 2.0) / 180 * side);
        assertThat(logits[cy * side + cx]).as("the box's object is in its mask").isPositive();
        assertThat(logits[2 * side + 2]).as("the background corner is not").isNegative();
        assertThat(Files.exists(out.resolve("t04_o3.f32"))).isFalse();
        assertThat(read(out.resolve("t11_o3.f32"), side * side)).hasSize(side * side);
    }

    @Test
    void memoriesAreRoundedToBfloat16AsPyTorchRoundsThem() {
        // 8 significant bits, round to nearest, ties to even (torch.tensor(x).bfloat16())
        assertThat(Floats.bfloat16(1f)).isEqualTo(1f);
        assertThat(Floats.bfloat16(1.00390625f)).isEqualTo(1f);            // 1 + 1/256: tie, down to the even 1
        assertThat(Floats.bfloat16(1.01171875f)).isEqualTo(1.015625f);     // 1 + 3/256: tie, up to the even 1 + 2/128
        assertThat(Floats.bfloat16(1.0040f)).isEqualTo(1.0078125f);        // above the tie
        assertThat(Floats.bfloat16(-1.01171875f)).isEqualTo(-1.015625f);
        assertThat(Floats.bfloat16(3.0e-39f)).isEqualTo(Float.intBitsToFloat(Float.floatToRawIntBits(3.0e-39f) + 0x7FFF & 0xFFFF0000));
        assertThat(Float.isNaN(Floats.bfloat16(Float.NaN))).isTrue();
        FloatBuffer values = Floats.allocate(3).put(0, 0.1f).put(1, -2.5f).put(2, 1e-3f);
        Floats.roundToBfloat16(values);
        assertThat(values.get(0)).isEqualTo(0.10009765625f);
        assertThat(values.get(1)).isEqualTo(-2.5f);
        assertThat(values.get(2)).isEqualTo(0.00099945068359375f);
    }

    private static float[] read(Path file, int floats) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes).hasSize(4 * floats);
        float[] v = new float[floats];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }
}
