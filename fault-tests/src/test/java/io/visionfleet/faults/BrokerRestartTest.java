package io.visionfleet.faults;

import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.testing.Broker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two real broker restarts under a running fleet: the relay streams a looping clip, frame-processor and slam-service
 * publish a result per processed frame, storage-service archives them, and an independent witness queue keeps what
 * reached the broker. After the stream ends, every processed frame frame-processor counted and every SLAM result
 * slam-service published must be in the archive exactly once, and a prompt sent on the bus must still reach
 * frame-processor (its listener is a connector channel whose queue died with the old connection).
 */
@Tag("integration")
class BrokerRestartTest {
    private static final String STREAM = "brokerrestart" + System.currentTimeMillis() % 1_000_000;
    private static final Duration DOWNTIME = Duration.ofSeconds(15);
    private static final Duration READY_DEADLINE = Duration.ofSeconds(60);
    /** Frames between the restarts and after the last one, about ten seconds of the 10 fps clip each. */
    private static final int FRAMES_BETWEEN = 100;

    private static ArchivingFleet fleet;

    /** One restart as the test saw it: when the broker stopped and started, and when each service was ready again. */
    private record Restart(long stoppedAtMs, long startedAtMs, Duration brokerUp, Map<String, Duration> ready) {
    }

    @BeforeAll
    static void startFleet() throws Exception {
        BrokerControl.assumeControllable();
        fleet = new ArchivingFleet(STREAM, 20411, Broker.get(), Map.of());
    }

    @AfterAll
    static void stopFleet() throws Exception {
        BrokerControl.startApp(); // whatever happened, leave the broker running
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void everyResultIsArchivedExactlyOnceAcrossTwoBrokerRestarts() throws Exception {
        fleet.awaitFramesProcessed(FRAMES_BETWEEN / 2);
        List<Restart> restarts = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            restarts.add(restartBroker());
            fleet.awaitFramesProcessed(fleet.framesProcessed() + FRAMES_BETWEEN);
        }
        ArchivingFleet.Tally tally = fleet.finish();
        report(restarts, tally);
        fleet.assertArchivedExactlyOnce(tally);
        assertPromptsStillArrive();
    }

    /** A removal for a stream nobody has is not applied, but frame-processor must take it off the bus. */
    private static void assertPromptsStillArrive() throws Exception {
        byte[] removal = ("{\"schema\":\"prompt/1\",\"stream_id\":\"" + STREAM
                + "-gone\",\"action\":\"remove\",\"object_id\":1}").getBytes(StandardCharsets.UTF_8);
        Map<String, String> tags = Map.of("exchange", Exchanges.PROCESSOR_PROMPTS);
        ServiceProbe processor = fleet.processor();
        double before = processor.metric("fleet_processor_bus_prompts_total", tags);
        try (Broker.Tap tap = Broker.get().tap(Exchanges.PROCESSOR_PROMPTS)) {
            tap.publishRaw(Exchanges.PROCESSOR_PROMPTS, removal);
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(processor.metric("fleet_processor_bus_prompts_total", tags))
                        .as("prompts frame-processor took from the bus after the restarts").isEqualTo(before + 1));
    }

    /** Stops the broker for {@link #DOWNTIME}, starts it and waits until every service is ready again. */
    private static Restart restartBroker() {
        long stoppedAt = System.currentTimeMillis();
        long startedAt;
        Duration up;
        try {
            BrokerControl.stopApp();
            await().atMost(Duration.ofSeconds(30)).until(() -> fleet.services().stream().noneMatch(ServiceProbe::ready));
            BrokerControl.stayDown(stoppedAt, DOWNTIME);
        } finally {
            BrokerControl.startApp();
            startedAt = System.currentTimeMillis();
        }
        up = BrokerControl.awaitUp(READY_DEADLINE);
        Map<String, Duration> ready = new LinkedHashMap<>();
        for (ServiceProbe service : fleet.services()) {
            await().atMost(READY_DEADLINE).pollInterval(Duration.ofMillis(100)).until(service::ready);
            ready.putIfAbsent(service.name(), Duration.ofMillis(System.currentTimeMillis() - startedAt));
        }
        return new Restart(stoppedAt, startedAt, up, ready);
    }

    private static void report(List<Restart> restarts, ArchivingFleet.Tally t) {
        ResultCount frames = t.frames();
        ResultCount poses = t.poses();
        ResultCount framesWitnessed = t.framesWitnessed();
        ResultCount posesWitnessed = t.posesWitnessed();
        System.out.printf("broker restarts: %d, downtime %d s each%n", restarts.size(), DOWNTIME.toSeconds());
        for (int i = 0; i < restarts.size(); i++) {
            Restart r = restarts.get(i);
            long nextStop = i + 1 < restarts.size() ? restarts.get(i + 1).stoppedAtMs() : Long.MAX_VALUE;
            long from = i == 0 ? 0 : r.stoppedAtMs();
            System.out.printf("restart %d: broker accepting connections %d ms after start_app; ready after start_app: %s%n",
                    i + 1, r.brokerUp().toMillis(), r.ready());
            System.out.printf("  captured during the outage: %d processed frames, %d archived; between this stop and the"
                            + " next: lost %d, duplicated %d processed frames; lost %d, duplicated %d SLAM results%n",
                    inWindow(framesWitnessed, r.stoppedAtMs(), r.startedAtMs()),
                    inWindow(frames, r.stoppedAtMs(), r.startedAtMs()),
                    lost(framesWitnessed, frames, from, nextStop), duplicated(frames, from, nextStop),
                    lost(posesWitnessed, poses, from, nextStop), duplicated(poses, from, nextStop));
        }
        System.out.printf("processed frames: %d counted, %d published, %d reached the broker, %d archived (%d twice)%n",
                t.processed(), t.processedPublished(), framesWitnessed.distinct(), frames.distinct(), frames.duplicated());
        System.out.printf("SLAM results: %d published, %d reached the broker, %d archived (%d twice)%n",
                t.slamPublished(), posesWitnessed.distinct(), poses.distinct(), poses.duplicated());
    }

    private static long inWindow(ResultCount count, long fromMs, long toMs) {
        return count.results().stream().filter(r -> r.captureTs() >= fromMs && r.captureTs() < toMs).count();
    }

    private static long lost(ResultCount witnessed, ResultCount archived, long fromMs, long toMs) {
        return witnessed.results().stream().filter(r -> r.captureTs() >= fromMs && r.captureTs() < toMs)
                .filter(r -> !archived.results().contains(r)).count();
    }

    private static long duplicated(ResultCount archived, long fromMs, long toMs) {
        return archived.duplicatedWhere(r -> r.captureTs() >= fromMs && r.captureTs() < toMs);
    }
}
