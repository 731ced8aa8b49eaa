package io.visionfleet.ingest.relay;

import java.util.ArrayList;
import java.util.List;

/**
 * The current group of pictures, from its IDR up to the latest access unit, so that a late joiner gets a
 * picture at once instead of waiting up to a GOP for the next IDR. Bounded: a GOP larger than the limit is
 * dropped and the cache stays empty until the next IDR. Not thread-safe; the stream guards it.
 */
final class GopCache {
    private final long maxBytes;
    private final List<PacketizedAccessUnit> units = new ArrayList<>();
    private long bytes;

    GopCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    void add(PacketizedAccessUnit au) {
        if (au.idr()) {
            clear();
        } else if (units.isEmpty()) {
            return; // not starting at an IDR: useless to a joiner
        }
        if (bytes + au.payloadBytes() > maxBytes) {
            clear();
            return;
        }
        units.add(au.retain());
        bytes += au.payloadBytes();
    }

    /** The cached access units in decoding order, starting with an IDR; empty when there is none. */
    List<PacketizedAccessUnit> units() {
        return units;
    }

    long bytes() {
        return bytes;
    }

    void clear() {
        units.forEach(PacketizedAccessUnit::release);
        units.clear();
        bytes = 0;
    }
}
