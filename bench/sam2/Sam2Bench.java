import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.visionfleet.sim.scene.GroundTruthScene;
import io.visionfleet.sim.scene.GroundTruthScenes;
import io.visionfleet.frameprocessor.engine.EngineInput;
import io.visionfleet.frameprocessor.engine.EngineSession;
import io.visionfleet.frameprocessor.geom.Box;
import io.visionfleet.frameprocessor.stage.StageTimings;
import io.visionfleet.frameprocessor.prompt.ObjectCommand;
import io.visionfleet.frameprocessor.prompt.Prompt;
import io.visionfleet.frameprocessor.sam2.Sam2Config;
import io.visionfleet.frameprocessor.sam2.Sam2Engine;
import io.visionfleet.frameprocessor.sam2.Sam2TestGraphs;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

/**
 * The sam2 engine's host side at SAM2.1-tiny's real tensor shapes (1024 input, 64x64x256 embedding, 256x256 masks,
 * 64-channel memories) on the contract-test graphs, whose arithmetic is trivial: the figures are the engine's own
 * cost (preprocessing, buffer traffic, ONNX Runtime calls, mask rendering, memory bank), not the networks'.
 * With a fifth argument, the folder of a real export ({@code <dir>/tiny-fp32/*.onnx} from deploy/models/export_sam2.py),
 * the figures are SAM2.1-tiny's networks on this machine.
 * Args: frames objects width height [model-dir].
 */
public class Sam2Bench {
    public static void main(String[] args) throws Exception {
        int frames = Integer.parseInt(args[0]);
        int objects = Integer.parseInt(args[1]);
        int width = Integer.parseInt(args[2]);
        int height = Integer.parseInt(args[3]);
        Path models = args.length > 4 ? Path.of(args[4]) : Files.createTempDirectory("sam2-bench");
        if (args.length <= 4) {
            Sam2TestGraphs.write(models, "tiny", "fp32", 1024, 64);
        }
        Sam2Config config = new SmallRyeConfigBuilder().withMapping(Sam2Config.class)
                .withSources(new PropertiesConfigSource(Map.of("fleet.processor.sam2.model-dir", models.toString(),
                        "fleet.processor.sam2.provider", "cpu",
                        "fleet.processor.sam2.threads", System.getenv().getOrDefault("THREADS", "2")), "bench", 400)).build().getConfigMapping(Sam2Config.class);
        Sam2Engine engine = new Sam2Engine(config);
        System.out.println("engine: " + engine.status().detail());
        if (!engine.status().ready()) {
            System.exit(1);
        }
        GroundTruthScene scene = GroundTruthScenes.crossing(width, height);
        byte[] bgr = new byte[width * height * 3];
        Map<String, Double> sums = new TreeMap<>();
        int warmUp = Integer.parseInt(System.getenv().getOrDefault("WARMUP", "10"));
        long start = 0;
        try (EngineSession session = engine.open("bench", width, height)) {
            for (int f = 0; f < frames + warmUp; f++) {
                if (f == warmUp) {
                    start = System.nanoTime();
                }
                try (PointerScope scope = new PointerScope()) {
                    scene.render(60 + f % 100, bgr);
                    Mat mat = new Mat(height, width, CV_8UC3);
                    mat.data().put(bgr);
                    List<ObjectCommand> prompts = f > 0 ? List.of() : java.util.stream.IntStream.range(0, objects)
                            .mapToObj(i -> (ObjectCommand) new ObjectCommand.Apply(new Prompt(null, List.of(),
                                    new Box(width * (0.1 + 0.8 * i / Math.max(1, objects)), height * 0.3, width * 0.1, height * 0.2), null)))
                            .toList();
                    StageTimings timings = new StageTimings();
                    long t0 = System.nanoTime();
                    session.step(new EngineInput(f, mat, List.of(), prompts, null, 64, timings));
                    timings.add("step", System.nanoTime() - t0);
                    if (f >= warmUp) {
                        timings.millis().forEach((k, v) -> sums.merge(k, v, Double::sum));
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%s, %d object(s), %dx%d frames, %d frames: %.2f fps end to end (engine step)%n",
                args.length > 4 ? "export " + models : "contract graphs at tiny shapes", objects, width, height, frames,
                frames / seconds);
        sums.forEach((k, v) -> System.out.printf("  %-22s %8.2f ms/frame%n", k, v / frames));
    }
}
