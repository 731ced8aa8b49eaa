package io.visionfleet.faults;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** How often each result was seen, for exactly-once checks. */
final class ResultCount {
    private final Map<FrameResult, Integer> seen = new HashMap<>();

    void add(FrameResult result) {
        seen.merge(result, 1, Integer::sum);
    }

    int distinct() {
        return seen.size();
    }

    /** Results seen more than once. */
    long duplicated() {
        return duplicatedWhere(r -> true);
    }

    /** Results matching {@code filter} seen more than once. */
    long duplicatedWhere(Predicate<FrameResult> filter) {
        return seen.entrySet().stream().filter(e -> e.getValue() > 1 && filter.test(e.getKey())).count();
    }

    Set<FrameResult> results() {
        return seen.keySet();
    }
}
