package io.visionfleet.frameprocessor.quality;

import io.visionfleet.frameprocessor.motion.MotionEngine;
import io.visionfleet.frameprocessor.prompt.MotionStrategy;
import io.visionfleet.frameprocessor.stage.StageTimings;
import io.visionfleet.frameprocessor.support.TestConfig;
import io.visionfleet.sim.scene.GroundTruthScenes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the motion engine's time goes: mean time of each stage and the whole step (p50 / p95, the sum of the stages)
 * on the panning scene at each size given ({@code WIDTHxHEIGHT}), analysed in full ({@code analysis-width} 0, the
 * reference) and at the default analysis width, in the same run, with the tracking quality of each. The first
 * {@link #WARMUP} frames are left out.
 */
public final class MotionStageBench {
    private static final int WARMUP = 30;

    private MotionStageBench() {
    }

    public static void main(String[] args) throws Exception {
        Path clips = Files.createDirectories(Path.of("frame-processor/target/motion-stages")); // clips kept for reruns
        for (String size : args) {
            int width = Integer.parseInt(size.substring(0, size.indexOf('x')));
            int height = Integer.parseInt(size.substring(size.indexOf('x') + 1));
            for (Map<String, String> config : List.of(Map.of("fleet.processor.motion.analysis-width", "0"),
                    Map.<String, String>of())) {
                Stages stages = new Stages();
                TrackingMetrics quality = SceneRun.run(GroundTruthScenes.panning(width, height),
                        new MotionEngine(TestConfig.processor(config)), new MotionStrategy(), clips, () -> 1,
                        stages::add);
                System.out.println(size + ", " + (config.isEmpty() ? "default analysis width" : "analysed in full")
                        + ": " + stages + "; " + quality);
            }
        }
    }

    /** Stage times of the frames after the warm-up. */
    private static final class Stages {
        private final Map<String, Long> nanos = new TreeMap<>();
        private final List<Long> steps = new ArrayList<>();
        private int frames;

        void add(StageTimings timings) {
            if (++frames <= WARMUP) {
                return;
            }
            steps.add(timings.nanos().values().stream().mapToLong(Long::longValue).sum());
            timings.nanos().forEach((stage, n) -> nanos.merge(stage, n, Long::sum));
        }

        @Override
        public String toString() {
            List<Long> sorted = steps.stream().sorted().toList();
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "step p50 %.1f ms, p95 %.1f ms; mean",
                    sorted.get(sorted.size() / 2) / 1e6, sorted.get(sorted.size() * 95 / 100) / 1e6));
            nanos.forEach((stage, n) -> s.append(String.format(Locale.ROOT, " %s %.1f", stage, n / 1e6 / steps.size())));
            return s.append(" ms").toString();
        }
    }
}
