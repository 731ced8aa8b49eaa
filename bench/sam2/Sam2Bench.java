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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

/**
 * The sam2 engine's host side at SAM2.1-tiny's real tensor shapes (1024 input, 64x64x256 embedding, 256x256 masks,
 * 64-channel memories) on the contract-test graphs, whose arithmetic is trivial: the figures are the engine's own
 * cost (preprocessing, buffer traffic, ONNX Runtime calls, mask rendering, memory bank), not the networks'.
 * With a fifth argument, the folder of a real export ({@code <dir>/tiny-fp32/*.onnx} from deploy/models/export_sam2.py),
 * the figures are SAM2.1-tiny's networks on this machine. ATTENTION=compare (contract graphs) or BEFORE=<model-dir>
 * (a second export) runs two variants side by side, alternating frame by frame, so load on a shared machine hits both.
 * MAX_ATTENTION_BATCH sets fleet.processor.sam2.max-attention-batch (unset: 8, the CUDA default, so that a batched
 * export batches here too; the engine's CPU default is 1, a run per object); besides wall times each
 * variant reports the process CPU time per step, and the run ends with its peak RSS.
 * Args: frames objects width height [model-dir].
 */
public class Sam2Bench {
    public static void main(String[] args) throws Exception {
        int frames = Integer.parseInt(args[0]);
        int objects = Integer.parseInt(args[1]);
        int width = Integer.parseInt(args[2]);
        int height = Integer.parseInt(args[3]);
        String attention = System.getenv().getOrDefault("ATTENTION", "batched");
        // the variants measured side by side in one run, frame by frame (the order alternates), so machine load hits
        // them alike: ATTENTION=compare puts memory attention per object (as exports before batching) next to batched
        Map<String, Path> variants = new LinkedHashMap<>();
        if (args.length > 4) {
            variants.put("export " + args[4], Path.of(args[4]));
            if (System.getenv("BEFORE") != null) {
                variants.put("export " + System.getenv("BEFORE"), Path.of(System.getenv("BEFORE")));
            }
        } else {
            for (String kind : attention.equals("compare") ? List.of("per-object", "batched") : List.of(attention)) {
                Path dir = Files.createTempDirectory("sam2-bench-" + kind);
                Sam2TestGraphs.write(dir, "tiny", "fp32", 1024, 64, !kind.equals("per-object"));
                variants.put("contract graphs at tiny shapes, memory attention " + kind, dir);
            }
        }
        List<String> names = new ArrayList<>(variants.keySet());
        List<Sam2Engine> engines = new ArrayList<>();
        List<EngineSession> sessions = new ArrayList<>();
        for (Path models : variants.values()) {
            Map<String, String> properties = Map.of("fleet.processor.sam2.model-dir", models.toString(),
                    "fleet.processor.sam2.provider", "cpu",
                    "fleet.processor.sam2.threads", System.getenv().getOrDefault("THREADS", "2"),
                    "fleet.processor.sam2.max-attention-batch", System.getenv().getOrDefault("MAX_ATTENTION_BATCH", "8"));
            Sam2Config config = new SmallRyeConfigBuilder().withMapping(Sam2Config.class)
                    .withSources(new PropertiesConfigSource(properties, "bench", 400))
                    .build().getConfigMapping(Sam2Config.class);
            Sam2Engine engine = new Sam2Engine(config);
            System.out.println("engine: " + engine.status().detail());
            if (!engine.status().ready()) {
                System.exit(1);
            }
            engines.add(engine);
            EngineSession session = engine.open("bench", width, height);
            // every prompt starts an object, as in the parity harness: a box whose centre lies on an earlier object's
            // mask would otherwise correct that object, and the bench would track fewer objects than it says
            java.lang.reflect.Field create = session.getClass().getDeclaredField("promptsCreate");
            create.setAccessible(true);
            create.setBoolean(session, true);
            sessions.add(session);
        }
        GroundTruthScene scene = GroundTruthScenes.crossing(width, height);
        byte[] bgr = new byte[width * height * 3];
        List<Map<String, Double>> sums = new ArrayList<>();
        long[] nanos = new long[sessions.size()];
        long[] cpuNanos = new long[sessions.size()];
        // CPU time of the whole process (ONNX Runtime's native threads included): on a loaded machine it tracks the
        // work done where the wall time also counts waiting for a core
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        names.forEach(n -> sums.add(new TreeMap<>()));
        int warmUp = Integer.parseInt(System.getenv().getOrDefault("WARMUP", "10"));
        for (int f = 0; f < frames + warmUp; f++) {
            for (int k = 0; k < sessions.size(); k++) {
                int v = (f + k) % sessions.size();
                try (PointerScope scope = new PointerScope()) {
                    scene.render(60 + f % 100, bgr);
                    Mat mat = new Mat(height, width, CV_8UC3);
                    mat.data().put(bgr);
                    List<ObjectCommand> prompts = f > 0 ? List.of() : java.util.stream.IntStream.range(0, objects)
                            .mapToObj(i -> (ObjectCommand) new ObjectCommand.Apply(new Prompt(null, List.of(),
                                    new Box(width * (0.1 + 0.8 * i / Math.max(1, objects)), height * 0.3, width * 0.1, height * 0.2), null)))
                            .toList();
                    StageTimings timings = new StageTimings();
                    long cpu0 = os.getProcessCpuTime();
                    long t0 = System.nanoTime();
                    int tracked = sessions.get(v)
                            .step(new EngineInput(f, 1, mat, List.of(), prompts, null, 64, timings))
                            .objects().size();
                    long took = System.nanoTime() - t0;
                    long cpu = os.getProcessCpuTime() - cpu0;
                    if (tracked != objects) {
                        throw new IllegalStateException(names.get(v) + ": " + tracked + " objects tracked, not " + objects);
                    }
                    timings.add("step", took);
                    if (f >= warmUp) {
                        nanos[v] += took;
                        cpuNanos[v] += cpu;
                        timings.millis().forEach((key, ms) -> sums.get(v).merge(key, ms, Double::sum));
                    }
                }
            }
        }
        for (int v = 0; v < sessions.size(); v++) {
            sessions.get(v).close();
            System.out.printf("%s, %d object(s), %dx%d frames, %d frames: %.2f fps end to end (engine step)%n",
                    names.get(v), objects, width, height, frames, frames / (nanos[v] / 1e9));
            sums.get(v).forEach((k, ms) -> System.out.printf("  %-22s %8.2f ms/frame%n", k, ms / frames));
            System.out.printf("  %-22s %8.2f ms/frame%n", "step, process CPU time", cpuNanos[v] / 1e6 / frames);
        }
        System.out.println(peakResident());
    }

    /** The process's peak resident memory (Java heap, ONNX Runtime's arenas, JavaCPP buffers), as Linux counts it. */
    private static String peakResident() throws java.io.IOException {
        Path status = Path.of("/proc/self/status");
        return !Files.exists(status) ? "peak RSS: unknown (no /proc)" : Files.readAllLines(status).stream()
                .filter(l -> l.startsWith("VmHWM:")).map(l -> "peak RSS: " + l.substring(6).trim())
                .findFirst().orElse("peak RSS: unknown");
    }
}
