package io.visionfleet.frameprocessor.motion;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Whether the background model's common path runs strip by strip or on whole pictures on this machine, chosen per
 * picture size by timing both. Strips keep a step's temporaries in the core's cache from one step to the next, where a
 * whole picture's go through memory: a quarter of the update saved on a first-generation Zen VM. Where the last-level
 * cache holds whole pictures, the strips' many more OpenCV calls are the larger cost: a tenth more on a Zen 5 VM
 * (docs/benchmarks.md). The foreground is the same bit for bit either way, so the choice moves only the time.
 *
 * <p>{@link #TRIALS} common-path updates of each way are timed in the thread's CPU time (which a busy machine's
 * preemptions do not inflate), taking turns, and the way with the lower median is kept until the next trial, every
 * {@link #RETRIAL}: what else runs on the cores, and so what stays in their caches, changes as streams come and go
 * (in the fleet at four streams strips won where alone on the same VM whole pictures did). The log says the choice when
 * it changes. Shared by the engine's streams, so they decide together and soon; thread-safe.
 */
final class StripChooser {
    /** Rows a strip aims at: about 1.8 MB of temporaries at 640 wide, the fastest of 20-90 on a 2-core Zen 1 VM. */
    static final int STRIP_TARGET = 45;
    /** Updates timed each way before the choice. */
    static final int TRIALS = 40;
    static final Duration RETRIAL = Duration.ofMinutes(10);
    private static final Logger LOG = Logger.getLogger(StripChooser.class);

    /** What an update runs: rows a strip aims at (0: whole pictures), and whether to time it for the choice. */
    record Pick(int target, boolean timed) {
    }

    private final LongSupplier clock;
    private final int[] targets;
    private final Map<Long, Trial> bySize = new HashMap<>();

    private StripChooser(LongSupplier clock, int... targets) {
        this.clock = clock;
        this.targets = targets;
    }

    /** Times strips against whole pictures and keeps the faster. */
    static StripChooser timed() {
        return timed(System::nanoTime);
    }

    /** {@link #timed()} on {@code clock}'s nanoseconds, which set when a choice is tried again. */
    static StripChooser timed(LongSupplier clock) {
        return new StripChooser(clock, STRIP_TARGET, 0);
    }

    /** Always {@code target} (0: whole pictures). */
    static StripChooser fixed(int target) {
        return new StripChooser(System::nanoTime, target);
    }

    /** The way the next common-path update of a {@code rows} x {@code cols} picture runs. */
    synchronized Pick pick(int rows, int cols) {
        if (targets.length == 1) {
            return new Pick(targets[0], false);
        }
        Trial trial = bySize.computeIfAbsent(size(rows, cols), s -> new Trial());
        if (!trial.timing && clock.getAsLong() - trial.chosenAt >= RETRIAL.toNanos()) {
            trial.restart();
        }
        return trial.timing ? new Pick(targets[trial.nextWay()], true) : new Pick(targets[trial.chosen], false);
    }

    /** A timed update of {@code pick} took {@code cpuNanos}. */
    synchronized void took(int rows, int cols, Pick pick, long cpuNanos) {
        Trial trial = bySize.get(size(rows, cols));
        if (trial == null || !trial.timing) {
            return;
        }
        int way = indexOf(pick.target());
        if (trial.counts[way] < TRIALS) {
            trial.nanos[way][trial.counts[way]++] = cpuNanos;
        }
        if (Arrays.stream(trial.counts).allMatch(n -> n == TRIALS)) {
            int before = trial.chosen;
            trial.choose(clock.getAsLong());
            if (trial.chosen != before) {
                LOG.infof("background model at %dx%d: %s (median update %s)", cols, rows,
                        targets[trial.chosen] > 0 ? "strips of about " + targets[trial.chosen] + " rows"
                                : "whole pictures", trial.medians());
            }
        }
    }

    private int indexOf(int target) {
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] == target) {
                return i;
            }
        }
        throw new IllegalArgumentException("not a way of this chooser: " + target);
    }

    private static long size(int rows, int cols) {
        return (long) rows << 32 | cols;
    }

    /** One picture size's timings. */
    private final class Trial {
        final long[][] nanos = new long[targets.length][TRIALS];
        final int[] counts = new int[targets.length];
        int turn;
        /** The way kept (-1 before the first choice), and when it was chosen. */
        int chosen = -1;
        long chosenAt;
        /** Whether updates are being timed: before the first choice, and again after each {@link #RETRIAL}. */
        boolean timing = true;

        void restart() {
            Arrays.fill(counts, 0);
            timing = true;
        }

        /** The next way to time: turns taken in order, skipping one that has all its samples. */
        int nextWay() {
            for (int i = 0; i < targets.length; i++) {
                int way = turn++ % targets.length;
                if (counts[way] < TRIALS) {
                    return way;
                }
            }
            return 0;
        }

        void choose(long now) {
            chosen = 0;
            for (int way = 1; way < targets.length; way++) {
                if (median(way) < median(chosen)) {
                    chosen = way;
                }
            }
            chosenAt = now;
            timing = false;
        }

        long median(int way) {
            long[] sorted = nanos[way].clone();
            Arrays.sort(sorted);
            return sorted[TRIALS / 2];
        }

        String medians() {
            StringBuilder text = new StringBuilder();
            for (int way = 0; way < targets.length; way++) {
                text.append(way == 0 ? "" : ", ").append(targets[way] > 0 ? "strips " : "whole ")
                        .append(String.format("%.2f ms", median(way) / 1e6));
            }
            return text.toString();
        }
    }
}
