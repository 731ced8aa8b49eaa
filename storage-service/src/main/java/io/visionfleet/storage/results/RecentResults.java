package io.visionfleet.storage.results;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The identities of the most recently archived results, at most {@code capacity}, oldest forgotten first. Redeliveries
 * are recent by nature (unacknowledged messages of the last flush interval, or a publisher's resend within its
 * outbox age), so a bounded window recognises them without remembering the whole archive. Not thread-safe: the
 * results archive serialises calls.
 */
final class RecentResults {
    private final int capacity;
    private final Set<ResultIdentity> identities = new LinkedHashSet<>();

    RecentResults(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    /** Remembers {@code identity}; false when it was archived already (within the window). */
    boolean add(ResultIdentity identity) {
        if (!identities.add(identity)) {
            return false;
        }
        if (identities.size() > capacity) {
            Iterator<ResultIdentity> oldest = identities.iterator();
            oldest.next();
            oldest.remove();
        }
        return true;
    }

    /** Forgets {@code identity}, whose line may not have reached the disk, so that a redelivery writes it again. */
    void remove(ResultIdentity identity) {
        identities.remove(identity);
    }

    int size() {
        return identities.size();
    }
}
