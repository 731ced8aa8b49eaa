package io.visionfleet.frameprocessor.stream;

import io.visionfleet.common.consumer.DecodedFrame;
import io.visionfleet.common.consumer.StreamSession;
import io.visionfleet.common.consumer.StreamState;
import io.visionfleet.common.testing.SessionlessConsumer;
import io.visionfleet.frameprocessor.support.RelayedScene;
import io.visionfleet.sim.scene.GroundTruthScenes;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An engine three times slower than a 30 fps relayed stream gets the newest decoded picture, never a queue of older
 * ones: frames reach it in order, none twice, and every frame it skipped is counted as dropped. How long it waited for
 * each picture and how far behind the decoder it was are printed (with a queue the wait would grow by two frames per
 * processed frame, to seconds within this test); how many frames the decoder keeps up with is the machine's, not the
 * handoff's, which {@code LatestFrameHandoffTest} checks on its own.
 */
@Tag("integration")
class LatestFrameWinsTest {
    private static final String STREAM = "latest-wins";
    private static final int FPS = 30;
    private static final long FRAME_MS = 1000 / FPS;
    private static final Duration ENGINE = Duration.ofMillis(3 * FRAME_MS);
    private static final int SAMPLES = 45;

    /** What the processing thread saw when it started a frame. */
    private record Sample(long frameNumber, long framesDecoded, long waitMs) {
    }

    /** Stands in for an engine that takes three frame intervals per picture (busy, like a real one). */
    private static final class SlowEngine extends SessionlessConsumer {
        final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());

        SlowEngine(String relayUrl) {
            super(relayUrl);
        }

        @Override
        protected void onFrame(StreamSession session, DecodedFrame frame) {
            long waitMs = System.currentTimeMillis() - frame.decodedTs();
            long decoded = stream(frame.meta().streamId()).orElseThrow().framesIn();
            samples.add(new Sample(frame.meta().frameNumber(), decoded, waitMs));
            long end = System.nanoTime() + ENGINE.toNanos();
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
        }
    }

    @Test
    void aSlowEngineGetsTheNewestFramesInOrderAndEverySkippedOneIsCountedAsDropped() throws Exception {
        Path clip = Files.createDirectories(Path.of("target", "latest-wins")).resolve("crossing.mp4");
        try (RelayedScene relayed = RelayedScene.start(GroundTruthScenes.crossing(320, 180), FPS, clip, STREAM, 18287, 18687);
             SlowEngine engine = new SlowEngine(relayed.relay().rtspBase())) {
            engine.follow(STREAM);
            // skip the relay's cached GOP, which arrives in one burst when the session starts
            await().atMost(Duration.ofSeconds(30)).until(() -> engine.samples.size() >= 5);
            engine.samples.clear();
            await().atMost(Duration.ofSeconds(30)).until(() -> engine.samples.size() >= SAMPLES);

            List<Sample> samples = List.copyOf(engine.samples);
            List<Long> waits = samples.stream().map(Sample::waitMs).sorted().toList();
            List<Long> behind = samples.stream().map(s -> s.framesDecoded() - s.frameNumber()).sorted().toList();
            long skipped = samples.get(samples.size() - 1).frameNumber() - samples.get(0).frameNumber()
                    - (samples.size() - 1);
            StreamState state = engine.stream(STREAM).orElseThrow();
            System.out.printf("engine %d ms per frame at %d fps: wait p50 %d ms, max %d ms; frames decoded after the "
                    + "one taken p50 %d, max %d; %d skipped between the samples, %d dropped%n", ENGINE.toMillis(), FPS,
                    waits.get(waits.size() / 2), waits.get(waits.size() - 1), behind.get(behind.size() / 2),
                    behind.get(behind.size() - 1), skipped, state.dropped());

            assertThat(samples).extracting(Sample::frameNumber).as("frames reach the engine in order, none twice")
                    .isSorted().doesNotHaveDuplicates();
            assertThat(state.dropped()).as("frames the engine was busy for are replaced and counted, never queued")
                    .isGreaterThanOrEqualTo(skipped);
        }
    }
}
