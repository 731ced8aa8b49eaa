package io.visionfleet.ptz.loop;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.common.testing.BrokerResource;
import io.visionfleet.ptz.service.PtzCameras;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * How well the real loop of {@link RelayClosedLoopTest} (relay, frame-processor's motion engine, broker, ptz-service
 * and two simulated cameras) keeps the runner on the wall clock of this machine, over {@code fleet.bench.loop} seconds
 * (two passes of the world's script are 80): the {@link LoopFigures}. Run with {@code bench/ptz-loop/run.sh}; writes
 * {@code target/ptz-loop-bench.txt}.
 */
@QuarkusTest
@WithTestResource(BrokerResource.class)
@WithTestResource(ClosedLoopResource.class)
@EnabledIfSystemProperty(named = "fleet.bench.loop", matches = "[0-9]+")
@Tag("integration")
class ClosedLoopBench {
    @Inject
    PtzCameras cameras;

    @Test
    void run() throws Exception {
        Duration length = Duration.ofSeconds(Long.getLong("fleet.bench.loop"));
        LoopFigures f;
        try (LoopRecorder loop = new LoopRecorder(cameras, RelayClosedLoopTest.CAMERAS)) {
            Thread.sleep(length.toMillis()); // the run's length, not a synchronisation
            f = loop.figures(ClosedLoopResource.PERIOD_FRAMES);
        }
        String report = String.format(Locale.ROOT, """
                closed loop over %d s, %d cores
                frames with the runner followed (settled, off the pan limits): %d
                p95 offset from the centre (half-frames): %.3f (x %.3f, y %.3f)
                share of those with the runner's height in 0.2..0.5: %.2f
                pan reversals per camera: %s
                handoffs that kept the label: %d
                longest time the walking runner was watched by no camera: %.1f s
                """, length.toSeconds(), Runtime.getRuntime().availableProcessors(), f.trackedFrames(), f.p95Offset(),
                f.p95X(), f.p95Y(), f.inBand(), f.reversalsPerCamera(), f.handoffs(), f.longestGapS());
        System.out.print(report);
        Files.writeString(Path.of("target", "ptz-loop-bench.txt"), report);
    }
}
