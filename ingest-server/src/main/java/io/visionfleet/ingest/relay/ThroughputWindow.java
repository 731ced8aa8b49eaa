package io.visionfleet.ingest.relay;

/**
 * Pictures and bytes over the last second (a stream's input rate and bitrate), in a fixed ring of per-event slots.
 * Not thread-safe; the stream guards it.
 */
final class ThroughputWindow {
    private static final long WINDOW_NANOS = 1_000_000_000L;
    /** Rates above this many events per second read as this many; bounds the ring. */
    private static final int CAPACITY = 1024;

    private final long[] times = new long[CAPACITY];
    private final long[] sizes = new long[CAPACITY];
    private int head;
    private int count;

    void record(long nowNanos, long bytes) {
        int slot = (head + count) % CAPACITY;
        if (count == CAPACITY) {
            head = (head + 1) % CAPACITY;
        } else {
            count++;
        }
        times[slot] = nowNanos;
        sizes[slot] = bytes;
    }

    /** Events within the last second. */
    int events(long nowNanos) {
        expire(nowNanos);
        return count;
    }

    /** Bytes within the last second. */
    long bytes(long nowNanos) {
        expire(nowNanos);
        long total = 0;
        for (int i = 0; i < count; i++) {
            total += sizes[(head + i) % CAPACITY];
        }
        return total;
    }

    private void expire(long nowNanos) {
        while (count > 0 && nowNanos - times[head] > WINDOW_NANOS) {
            head = (head + 1) % CAPACITY;
            count--;
        }
    }
}
