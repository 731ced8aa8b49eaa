package io.visionfleet.ingest.fuzz;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One seeded fuzzing run of one surface: the seed ({@code -Dfuzz.seed}, else a fresh one, printed either way), how many
 * inputs to try ({@code -Dfuzz.inputs}, default 10,000), a tally of what the server answered, and a watch on the
 * server's log for failures it did not handle (a warning or error with an exception).
 */
final class Fuzz implements AutoCloseable {
    private static final Logger SERVER_LOG = Logger.getLogger("io.visionfleet");

    final long seed;
    final int inputs;
    final SplittableRandom random;
    private final String surface;
    private final Map<String, Integer> answers = new TreeMap<>();
    private final List<String> unhandled = new CopyOnWriteArrayList<>();
    private final Handler watch = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()
                    || record.getLevel().intValue() >= Level.WARNING.intValue() && record.getThrown() != null) {
                unhandled.add(record.getLoggerName() + ": " + record.getMessage() + " " + record.getThrown());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    Fuzz(String surface) {
        this.surface = surface;
        this.seed = Long.getLong("fuzz.seed", new SplittableRandom().nextLong());
        this.inputs = Integer.getInteger("fuzz.inputs", 10_000);
        this.random = new SplittableRandom(seed);
        System.out.printf("FUZZ %s: seed %d, %d inputs (repeat with -Dfuzz.seed=%d)%n", surface, seed, inputs, seed);
        SERVER_LOG.addHandler(watch);
    }

    /** Counts one answer of the server, e.g. {@code "400"} or {@code "close 1009"}. */
    synchronized void answered(String answer) {
        answers.merge(answer, 1, Integer::sum);
    }

    synchronized Map<String, Integer> answers() {
        return new TreeMap<>(answers);
    }

    /** Failures the server logged with an exception while the run went on. */
    List<String> unhandled() {
        return List.copyOf(unhandled);
    }

    void report(int tried, double healthyFps, Footprint before, Footprint after, String leftOpen) {
        System.out.printf("FUZZ %s: seed %d, %d inputs; answers %s; healthy stream %.1f fps during; "
                        + "%s before, %s after; %s%n", surface, seed, tried, answers(), healthyFps, before, after, leftOpen);
    }

    @Override
    public void close() {
        SERVER_LOG.removeHandler(watch);
    }
}
