package io.visionfleet.dronesim;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Tag("quick")
class PacerTest {
    /** A clock that only moves when told: a wait jumps to its deadline plus the overshoot a real sleep has. */
    static final class FakeClock implements Pacer.Clock {
        long now = 1_000_000_000L;
        long overshootNanos;
        boolean stopped;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public boolean awaitNanoTime(long deadline) {
            if (stopped) {
                return false;
            }
            now = Math.max(now, deadline + overshootNanos);
            return true;
        }
    }

    @Test
    void frameNIsReleasedAtStartPlusNOverRateWithNoDriftOverManyFrames() {
        FakeClock clock = new FakeClock();
        double fps = 29.97;
        double period = 1e9 / fps;
        Pacer pacer = new Pacer(fps, 1_000_000_000L, clock);
        SplittableRandom random = new SplittableRandom(7);
        long start = clock.now;
        int frames = 200_000; // about 1 h 51 min of video
        long worstError = 0;
        for (int n = 0; n < frames; n++) {
            clock.overshootNanos = random.nextLong(2_000_000); // a sleep wakes up to 2 ms late
            long slot = pacer.awaitNext();
            if (slot != n) {
                throw new AssertionError("slot " + slot + " returned for frame " + n);
            }
            long ideal = start + Math.round(n * period);
            worstError = Math.max(worstError, Math.abs(clock.now - ideal));
            clock.now += random.nextLong((long) (period * 0.8)); // the send takes up to 80% of a frame
        }
        // each frame is late only by its own overshoot; the errors never accumulate
        assertThat(worstError).isLessThan(2_000_000);
        assertThat(pacer.deadline(frames)).isEqualTo(start + Math.round(frames * period));
        assertThat(pacer.reanchors()).isZero();
    }

    @Test
    void aRestartMakesTheNextSlotDueOnePeriodFromNowNotOverdue() {
        FakeClock clock = new FakeClock();
        Pacer pacer = new Pacer(25, 1_000_000_000L, clock);
        long start = clock.now;
        assertThat(pacer.awaitNext()).isZero();
        clock.now += 130_000_000; // the first frame's send took 130 ms: slots 1 to 3 are overdue
        pacer.restart();
        long restarted = clock.now;
        for (int n = 1; n <= 4; n++) {
            assertThat(pacer.awaitNext()).isEqualTo(n);
            assertThat(clock.now).as("slot %d", n).isEqualTo(restarted + n * 40_000_000L);
        }
        assertThat(pacer.deadline(5)).isEqualTo(restarted + 5 * 40_000_000L).isGreaterThan(start + 5 * 40_000_000L);
        assertThat(pacer.reanchors()).isZero();
    }

    @Test
    void aSenderThatFallsBehindCatchesUpWithinTheLagLimitAndIsReanchoredBeyondIt() {
        FakeClock clock = new FakeClock();
        Pacer pacer = new Pacer(10, 1_000_000_000L, clock); // 100 ms slots, 1 s tolerated lag
        long start = clock.now;
        long firstStamp = pacer.epochMillis(pacer.awaitNext());
        clock.now += 450_000_000L; // a send stalls 450 ms: slots 1..4 are due at once, then back on schedule
        for (int n = 1; n <= 4; n++) {
            long slot = pacer.awaitNext();
            assertThat(clock.now).isEqualTo(start + 450_000_000L);
            assertThat(pacer.epochMillis(slot)).as("slot %d released late keeps its own time", n).isEqualTo(firstStamp + n * 100);
        }
        pacer.awaitNext();
        assertThat(clock.now).isEqualTo(start + 500_000_000L);

        clock.now += 5_000_000_000L; // a 5 s stall: no burst of 50 frames, the schedule restarts now
        long resumed = clock.now;
        long late = pacer.epochMillis(pacer.awaitNext());
        long next = pacer.epochMillis(pacer.awaitNext());
        assertThat(clock.now).isEqualTo(resumed + 100_000_000L);
        assertThat(late).as("the first slot after the stall is stamped when it went out").isEqualTo(firstStamp + 5_500);
        assertThat(next - late).isEqualTo(100);
        assertThat(pacer.reanchors()).isEqualTo(1);
    }

    @Test
    void aStoppedClockEndsTheWait() {
        FakeClock clock = new FakeClock();
        Pacer pacer = new Pacer(30, 1_000_000_000L, clock);
        assertThat(pacer.awaitNext()).isZero();
        clock.stopped = true;
        assertThat(pacer.awaitNext()).isEqualTo(-1);
    }

    @Test
    void theSystemClockWaitsForEachSlotAndAStopEndsTheWait() throws Exception {
        StopSignal stop = new StopSignal();
        Pacer pacer = new Pacer(100, 1_000_000_000L, stop);
        long started = System.nanoTime();
        for (int n = 0; n <= 20; n++) {
            pacer.awaitNext();
        }
        // never early; how late a loaded machine wakes the thread is not the pacer's
        assertThat(System.nanoTime() - started).as("ns until slot 20 at 100 a second").isGreaterThanOrEqualTo(200_000_000L);
        Pacer slow = new Pacer(0.01, 1_000_000_000L, stop); // its second slot is 100 s away
        slow.awaitNext();
        CompletableFuture<Long> slot = new CompletableFuture<>();
        Thread waiter = new Thread(() -> slot.complete(slow.awaitNext()), "pacer-waiter");
        waiter.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
        stop.stop();
        assertThat(slot.get(30, TimeUnit.SECONDS)).as("the wait for a slot 100 s away, stopped").isEqualTo(-1);
    }
}
