package io.visionfleet.common.consumer;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

@Tag("quick")
class ProcessingPoolTest {
    private static final long NO_CAP = 0;
    /** The pool of the tests that watch its helper, by a name no other test's threads have. */
    private static final String TIMING_POOL = "timing-pool";

    @Test
    void busyStreamsTakeTheThreadInTurnSoEachGetsTheSameShare() throws Exception {
        List<String> first30 = turns(30, (name, lanes) -> lanes.forEach(ProcessingPool.Lane::frameWaiting));
        for (int i = 3; i < first30.size(); i++) {
            assertThat(first30.get(i)).as("run %d of %s", i, first30).isEqualTo(first30.get(i - 3));
        }
        assertThat(first30.subList(0, 3)).containsExactlyInAnyOrder("a", "b", "c");
    }

    /**
     * Stream c's next frame always arrives while the second turn after its own runs (a camera's phase), a and b always
     * have one: taken in order of arrival, c would queue behind both every time and run once in four turns; taken by
     * the turn each had last, it runs once in three, its share.
     */
    @Test
    void aStreamWhoseFramesComeLateStillGetsItsShare() throws Exception {
        AtomicInteger turnsSinceC = new AtomicInteger();
        List<String> first60 = turns(60, (name, lanes) -> {
            if (name.equals("c")) {
                turnsSinceC.set(0);
                return;
            }
            if (turnsSinceC.incrementAndGet() == 2) {
                lanes.get(2).frameWaiting(); // c's next frame
            }
            lanes.get(name.equals("a") ? 0 : 1).frameWaiting(); // this stream's next frame
        });
        assertThat(first60.stream().filter("c"::equals).count()).as("c's turns in %s", first60).isGreaterThanOrEqualTo(19);
    }

    /**
     * The first {@code count} turns of streams a, b and c on one thread, all with a frame at the start; each turn
     * records itself, then runs {@code turn} with the stream's name and the lanes (to say which got a new frame).
     */
    private static List<String> turns(int count, BiConsumer<String, List<ProcessingPool.Lane>> turn) throws Exception {
        List<String> runs = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch enough = new CountDownLatch(count);
        List<ProcessingPool.Lane> lanes = new ArrayList<>();
        try (ProcessingPool pool = new ProcessingPool("test-pool", 1)) {
            for (String name : List.of("a", "b", "c")) {
                lanes.add(pool.lane(() -> {
                    runs.add(name);
                    enough.countDown();
                    turn.accept(name, lanes);
                }, NO_CAP, () -> 15));
            }
            lanes.forEach(ProcessingPool.Lane::frameWaiting);
            assertThat(enough.await(10, TimeUnit.SECONDS)).isTrue();
            for (ProcessingPool.Lane lane : lanes) {
                lane.close();
            }
        }
        return List.copyOf(runs).subList(0, count);
    }

    @Test
    void aStreamIsNeverHandledByTwoThreadsAtOnce() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        AtomicLong handled = new AtomicLong();
        try (ProcessingPool pool = new ProcessingPool("test-pool", 4)) {
            ProcessingPool.Lane lane = pool.lane(() -> {
                mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                Thread.onSpinWait();
                inside.decrementAndGet();
                handled.incrementAndGet();
            }, NO_CAP, () -> 15);
            while (handled.get() < 2_000) {
                lane.frameWaiting();
            }
            lane.close();
        }
        assertThat(mostInside).hasValue(1);
    }

    /**
     * The pool's clock stands still until the test moves it, so a helper can only take a stream once the test says it
     * has waited long enough for the busy first thread.
     */
    @Test
    void aSecondThreadTakesAStreamOnlyOnceItWaitedForTheBusyFirstOne() throws Exception {
        AtomicLong clock = new AtomicLong();
        CountDownLatch aRunning = new CountDownLatch(1);
        CountDownLatch releaseA = new CountDownLatch(1);
        CountDownLatch bRan = new CountDownLatch(1);
        List<String> bThreads = Collections.synchronizedList(new ArrayList<>());
        try (ProcessingPool pool = new ProcessingPool(TIMING_POOL, 2, clock::get)) {
            ProcessingPool.Lane a = pool.lane(blocking(aRunning::countDown, releaseA), NO_CAP, () -> 15);
            ProcessingPool.Lane b = pool.lane(recordingThread(bThreads, bRan), NO_CAP, () -> 15);
            a.frameWaiting();
            assertThat(aRunning.await(10, TimeUnit.SECONDS)).isTrue();
            b.frameWaiting();
            awaitHelperTiming();
            assertThat(bThreads).as("taken before it waited long enough").isEmpty();
            clock.addAndGet(ProcessingPool.HELP_AFTER_NANOS);
            assertThat(bRan.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(bThreads).containsExactly(TIMING_POOL + "-1");
            releaseA.countDown();
            a.close();
            b.close();
        }
    }

    /** Three streams wait behind the busy first thread of two: more than the threads clear in a turn each. */
    @Test
    void aQueueLongerThanTheThreadsTakesASecondOneAtOnce() throws Exception {
        CountDownLatch aRunning = new CountDownLatch(1);
        CountDownLatch releaseA = new CountDownLatch(1);
        CountDownLatch oneRan = new CountDownLatch(1);
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        try (ProcessingPool pool = new ProcessingPool(TIMING_POOL, 2, () -> 0)) { // the clock stands still
            ProcessingPool.Lane a = pool.lane(blocking(aRunning::countDown, releaseA), NO_CAP, () -> 15);
            a.frameWaiting();
            assertThat(aRunning.await(10, TimeUnit.SECONDS)).isTrue();
            List<ProcessingPool.Lane> waiting = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiting.add(pool.lane(recordingThread(threads, oneRan), NO_CAP, () -> 15));
            }
            waiting.get(0).frameWaiting();
            waiting.get(1).frameWaiting();
            awaitHelperTiming();
            assertThat(threads).as("two waiting: the helper leaves them").isEmpty();
            waiting.get(2).frameWaiting();
            assertThat(oneRan.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(threads).first().isEqualTo(TIMING_POOL + "-1");
            releaseA.countDown();
            a.close();
            for (ProcessingPool.Lane lane : waiting) {
                lane.close();
            }
        }
    }

    @Test
    void aFrameReplacedWhileTheStreamWaitsForItsCapIsSkippedForTheCapNotForCapacity() throws Exception {
        AtomicLong clock = new AtomicLong();
        try (ProcessingPool pool = new ProcessingPool("test-pool", 1, () -> clock.addAndGet(1_000_000))) {
            ProcessingPool.Lane lane = pool.lane(() -> { }, Duration.ofHours(1).toNanos(), () -> 15);
            assertThat(lane.frameWaiting()).as("the first frame is due at once").isFalse();
            await().atMost(Duration.ofSeconds(10)).until(() -> lane.meanCostMs() > 0); // its run has ended
            assertThat(lane.frameWaiting()).as("the second one waits an hour for the cap").isFalse();
            assertThat(lane.frameWaiting()).as("a third replaces it while the stream waits for the cap").isTrue();
            lane.close();
        }
    }

    @Test
    void closingAStreamWaitsForItsRunningFrameAndItNeverRunsAgain() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        try (ProcessingPool pool = new ProcessingPool("test-pool", 2)) {
            ProcessingPool.Lane lane = pool.lane(blocking(() -> {
                runs.incrementAndGet();
                running.countDown();
            }, release), NO_CAP, () -> 15);
            lane.frameWaiting();
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            lane.frameWaiting(); // arrives during the run: would run the lane again
            Thread closer = new Thread(() -> {
                try {
                    lane.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            closer.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> closer.getState() == Thread.State.WAITING);
            assertThat(closer.isAlive()).isTrue();
            release.countDown();
            closer.join(10_000);
            assertThat(closer.isAlive()).isFalse();
            lane.frameWaiting();
            assertThat(pool.alive()).isTrue();
        }
        assertThat(runs).hasValue(1);
    }

    @Test
    void loadIsTheThreadTimeTheStreamsWantOverTheThreadsThereAre() throws Exception {
        AtomicLong clock = new AtomicLong();
        long twentyMs = Duration.ofMillis(20).toNanos();
        CountDownLatch ran = new CountDownLatch(2);
        // each reading on the pool's one thread is 20 ms after the one before (queueing a frame reads it too, on the
        // test's thread: those readings do not move it), so every run costs 20 ms
        LongSupplier poolClock = () -> Thread.currentThread().getName().startsWith("test-pool")
                ? clock.addAndGet(twentyMs) : clock.get();
        try (ProcessingPool pool = new ProcessingPool("test-pool", 1, poolClock)) {
            ProcessingPool.Lane capped = pool.lane(ran::countDown, Duration.ofMillis(200).toNanos(), () -> 15);
            ProcessingPool.Lane full = pool.lane(ran::countDown, NO_CAP, () -> 15);
            assertThat(pool.load(List.of(capped, full))).as("nothing measured yet").isZero();
            capped.frameWaiting();
            full.frameWaiting();
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> full.meanCostMs() > 0 && capped.meanCostMs() > 0);
            // (5 fps under its cap + 15 fps) x 20 ms = 0.4 thread-seconds a second, on 1 thread
            assertThat(pool.load(List.of(capped, full))).isCloseTo(0.4, within(1e-9));
            capped.close();
            full.close();
        }
    }

    /**
     * Waits until the helper of {@link #TIMING_POOL} waits with a deadline: it has looked at the ready lanes and left
     * them to wait longer (with none ready it waits without one).
     */
    private static void awaitHelperTiming() {
        await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(TIMING_POOL + "-1") && t.getState() == Thread.State.TIMED_WAITING));
    }

    /** A lane's task that runs {@code started}, then holds its thread until {@code release} opens. */
    private static Runnable blocking(Runnable started, CountDownLatch release) {
        return () -> {
            started.run();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /** A lane's task that notes the thread it ran on and counts {@code ran} down. */
    private static Runnable recordingThread(List<String> threads, CountDownLatch ran) {
        return () -> {
            threads.add(Thread.currentThread().getName());
            ran.countDown();
        };
    }
}
