package io.visionfleet.dronesim;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The stop flag of one run, and the monotonic clock its loops wait on: a stop wakes every wait at once, and
 * runs the registered actions (closing sockets) so that a send blocked by back-pressure returns too.
 */
final class StopSignal implements Pacer.Clock {
    private final CountDownLatch latch = new CountDownLatch(1);
    private final List<Runnable> onStop = new CopyOnWriteArrayList<>();

    /** Runs {@code action} when the run stops (at once if it already has). */
    void onStop(Runnable action) {
        onStop.add(action);
        if (isStopped() && onStop.remove(action)) {
            action.run();
        }
    }

    void stop() {
        latch.countDown();
        for (Runnable action : onStop) {
            if (onStop.remove(action)) {
                action.run();
            }
        }
    }

    boolean isStopped() {
        return latch.getCount() == 0;
    }

    /** Waits up to {@code nanos}; true when the run stopped meanwhile. */
    boolean awaitStop(long nanos) {
        try {
            return latch.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public boolean awaitNanoTime(long deadline) {
        long remaining;
        while ((remaining = deadline - System.nanoTime()) > 0) {
            if (awaitStop(remaining)) {
                return false;
            }
        }
        return !isStopped();
    }
}
