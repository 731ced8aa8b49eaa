package io.visionfleet.frameprocessor.stage;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Wall time of each stage of one frame, in the order the stages ran. Not thread-safe: one per frame. */
public final class StageTimings {
    private final Map<String, Long> nanos = new LinkedHashMap<>();

    public <T> T time(String stage, Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            add(stage, System.nanoTime() - start);
        }
    }

    public void time(String stage, Runnable work) {
        long start = System.nanoTime();
        try {
            work.run();
        } finally {
            add(stage, System.nanoTime() - start);
        }
    }

    public void add(String stage, long elapsedNanos) {
        nanos.merge(stage, elapsedNanos, Long::sum);
    }

    public Map<String, Long> nanos() {
        return Collections.unmodifiableMap(nanos);
    }

    /** Stage times in milliseconds, rounded to microseconds. */
    public Map<String, Double> millis() {
        Map<String, Double> ms = new LinkedHashMap<>();
        nanos.forEach((stage, n) -> ms.put(stage, Math.round(n / 1000.0) / 1000.0));
        return ms;
    }
}
