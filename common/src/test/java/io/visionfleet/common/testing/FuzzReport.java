package io.visionfleet.common.testing;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a {@link RestFuzzer} run saw: requests and status codes per endpoint, each distinct failure (endpoint, what
 * went wrong, kind of input) with a count and the first request that caused it, the slowest health probe and the heap
 * after GC before and after.
 */
public final class FuzzReport {
    private final String service;
    private final long seed;
    private final Map<String, Map<Integer, LongAdder>> statuses = new ConcurrentSkipListMap<>();
    private final Map<String, Failure> failures = new ConcurrentSkipListMap<>();
    private final AtomicLong slowestProbeMs = new AtomicLong();
    private final LongAdder retried = new LongAdder();
    private long heapBefore;
    private long heapAfter;
    private long elapsedMs;

    /** One distinct failure; {@code example} is the first request that showed it. */
    public record Failure(String example, LongAdder count) {
    }

    FuzzReport(String service, long seed) {
        this.service = service;
        this.seed = seed;
    }

    void answered(FuzzEndpoint endpoint, int status) {
        statuses.computeIfAbsent(endpoint.toString(), k -> new ConcurrentHashMap<>())
                .computeIfAbsent(status, k -> new LongAdder()).increment();
    }

    void failed(String where, String problem, String example) {
        failures.computeIfAbsent(where + ": " + problem, k -> new Failure(example, new LongAdder())).count().increment();
    }

    void retried() {
        retried.increment();
    }

    void probed(long ms) {
        slowestProbeMs.accumulateAndGet(ms, Math::max);
    }

    void heap(long before, long after) {
        heapBefore = before;
        heapAfter = after;
    }

    void elapsed(long ms) {
        elapsedMs = ms;
    }

    public long seed() {
        return seed;
    }

    /** Requests answered (with any status), over all endpoints. */
    public long requests() {
        return statuses.values().stream().flatMap(s -> s.values().stream()).mapToLong(LongAdder::sum).sum();
    }

    /** Status code to count, over all endpoints. */
    public Map<Integer, Long> statusCounts() {
        Map<Integer, Long> all = new TreeMap<>();
        statuses.values().forEach(s -> s.forEach((status, n) -> all.merge(status, n.sum(), Long::sum)));
        return all;
    }

    public Map<String, Failure> failures() {
        return failures;
    }

    public long heapGrowthBytes() {
        return heapAfter - heapBefore;
    }

    public long slowestProbeMs() {
        return slowestProbeMs.get();
    }

    /**
     * Prints the report and fails unless at least {@code minRequests} were answered, none broke the rule and heap
     * after GC grew by less than {@code maxHeapGrowthBytes}.
     */
    public void assertRuleKept(int minRequests, long maxHeapGrowthBytes) {
        System.out.println(this);
        assertThat(failures).as("%s", this).isEmpty();
        assertThat(requests()).as("requests answered").isGreaterThanOrEqualTo(minRequests);
        assertThat(heapGrowthBytes()).as("heap growth after GC, bytes").isLessThan(maxHeapGrowthBytes);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append(String.format("REST fuzz of %s: seed %d (rerun with -Dfuzz.seed=%d), %d requests in %d ms, statuses %s%n",
                service, seed, seed, requests(), elapsedMs, statusCounts()));
        s.append(String.format("  heap after GC: %d MiB before, %d MiB after; slowest health probe %d ms; "
                + "%d requests resent on a fresh connection%n", heapBefore >> 20, heapAfter >> 20, slowestProbeMs(), retried.sum()));
        statuses.forEach((endpoint, counts) -> s.append(String.format("  %-48s %6d  %s%n", endpoint,
                counts.values().stream().mapToLong(LongAdder::sum).sum(), new TreeMap<>(counts))));
        s.append(failures.isEmpty() ? "  no failures\n" : "  " + failures.size() + " distinct failures:\n");
        failures.forEach((what, f) -> s.append(String.format("    %dx %s%n       e.g. %s%n", f.count().sum(), what, f.example())));
        return s.toString();
    }
}
