package io.visionfleet.ptz.control;

import io.visionfleet.ptz.driver.PtzStatus;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Where the camera pointed lately. A result arrives after its frame was captured, while the camera kept moving: an
 * object's bearing is the camera's position at capture time plus its offset in the picture, not today's position.
 */
final class StatusHistory {
    private static final int SIZE = 128;

    private record Entry(long ms, PtzStatus status) {
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();

    void add(long ms, PtzStatus status) {
        if (!entries.isEmpty() && entries.peekLast().ms() >= ms) {
            entries.pollLast();
        }
        entries.addLast(new Entry(ms, status));
        if (entries.size() > SIZE) {
            entries.pollFirst();
        }
    }

    /** The position at {@code ms}, interpolated between samples; the oldest or newest sample outside their span. */
    PtzStatus at(long ms, PtzStatus fallback) {
        Entry after = null;
        for (Iterator<Entry> it = entries.descendingIterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.ms() <= ms) {
                if (after == null) {
                    return e.status();
                }
                double t = (double) (ms - e.ms()) / (after.ms() - e.ms());
                PtzStatus a = e.status();
                PtzStatus b = after.status();
                return new PtzStatus(a.panDeg() + t * (b.panDeg() - a.panDeg()), a.tiltDeg() + t * (b.tiltDeg() - a.tiltDeg()),
                        a.zoom() + t * (b.zoom() - a.zoom()), a.moving() || b.moving());
            }
            after = e;
        }
        return after != null ? after.status() : fallback;
    }
}
