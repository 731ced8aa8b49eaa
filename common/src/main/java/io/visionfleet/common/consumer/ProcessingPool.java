package io.visionfleet.common.consumer;

import io.visionfleet.common.concurrent.DaemonThreads;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The processing threads that all streams of one consumer share: as many as the cores by default, however many
 * streams there are, so the threads that compute never outnumber the cores (each stream keeps only its reading and
 * decoding thread of its own).
 *
 * <p>Each stream is a {@link Lane}. A lane with a frame waiting is ready; a free thread takes the ready lane that was
 * handled longest ago and handles that lane's newest frame. A lane is queued at most once and handled by one thread at
 * a time, so a stream's frames stay in order and every waiting stream gets one frame per turn: when the threads cannot
 * keep up, streams of the same rate get the same share instead of the fastest thread winning. The order is by last
 * turn, not by arrival: cameras keep their phase, so a stream whose next frame always comes just after its turn ends
 * would otherwise queue behind every stream handled meanwhile, turn after turn, and get a fraction of their share.
 * A lane with a rate cap waits aside until its next frame is due.
 *
 * <p>The first thread takes every turn it is free for; the others (helpers) take a lane only once it has waited
 * {@link #HELP_AFTER_NANOS} for one, or at once while more lanes wait than there are threads (a queue the threads
 * will not clear in one turn each: overload, when every thread works). Work that one thread keeps up with then keeps
 * one thread runnable, not all of them: every further thread that wakes with it would only wait for a core the other
 * services want too, which on a small node is what its load is made of (at 6 streams on 2 cores, one thread instead
 * of two per service cut the node's run queue from 5.0 to 3.5 for the same frames; docs/benchmarks.md).
 */
final class ProcessingPool implements AutoCloseable {
    /**
     * How long a ready lane waits for the first thread before a helper takes it: well under a frame interval at 30 fps
     * (33 ms), so a frame waiting behind a busy first thread is taken before the stream's next one replaces it.
     */
    static final long HELP_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

    private final ReentrantLock lock = new ReentrantLock();
    /** A lane's run ended or the pool closed: what {@link Lane#close} waits for. */
    private final Condition changed = lock.newCondition();
    private final Condition firstThreadWake = lock.newCondition();
    private final Condition helperWake = lock.newCondition();
    /** Ready lanes, the one handled longest ago first (lanes never handled first of all, in the order they came). */
    private final PriorityQueue<Lane> ready = new PriorityQueue<>(
            Comparator.comparingLong((Lane l) -> l.lastStartNanos).thenComparingLong(l -> l.readySince));
    private final PriorityQueue<Lane> waiting = new PriorityQueue<>(Comparator.comparingLong(l -> l.dueNanos));
    private final List<Thread> threads = new ArrayList<>();
    private final LongSupplier nanoClock;
    /** Lanes made ready so far. */
    private long queued;
    private boolean closed;
    /** The first thread waits for a lane: a new one goes to it, and no helper need look. */
    private boolean firstThreadIdle;
    /**
     * The earliest a helper wakes by itself, to take a lane that will have waited long enough by then; MAX_VALUE when
     * none is timing one. A lane queued later than that helper's needs no other helper woken.
     */
    private long helperWakesAt = Long.MAX_VALUE;

    /** {@code size} threads named {@code <name>-<n>}; 0 means one per core. */
    ProcessingPool(String name, int size) {
        this(name, size, System::nanoTime);
    }

    ProcessingPool(String name, int size, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        int count = size > 0 ? size : Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < count; i++) {
            boolean helper = i > 0;
            Thread thread = DaemonThreads.thread(name + "-" + i, () -> work(helper));
            threads.add(thread);
            thread.start();
        }
    }

    /**
     * A stream's lane: {@code task} handles the stream's newest frame, if one is waiting (it may find none), and
     * runs at most once every {@code minIntervalNanos} (0: no cap); {@code fpsIn} is the stream's input rate.
     */
    Lane lane(Runnable task, long minIntervalNanos, DoubleSupplier fpsIn) {
        return new Lane(task, minIntervalNanos, fpsIn);
    }

    /** False when a thread died although the pool was not closed. */
    boolean alive() {
        lock.lock();
        try {
            return closed || threads.stream().allMatch(Thread::isAlive);
        } finally {
            lock.unlock();
        }
    }

    /**
     * How many pool threads the streams' work needs, as a share of those there are: each lane's frames per second
     * wanted times its mean handling time, summed, over the pool's size. Above 1 the service is over capacity by
     * that factor and skips frames to keep up.
     */
    double load(List<Lane> lanes) {
        double busy = 0;
        for (Lane lane : lanes) {
            busy += lane.wantedFps() * lane.cost.millis() / 1e3;
        }
        return busy / threads.size();
    }

    /** Stops the threads once they finished what they are running; close the lanes first to wait for that. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            ready.clear();
            waiting.clear();
            changed.signalAll();
            firstThreadWake.signalAll();
            helperWake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void work(boolean helper) {
        try {
            while (true) {
                Lane lane = next(helper);
                if (lane == null) {
                    return;
                }
                long start = nanoClock.getAsLong();
                try {
                    lane.task.run(); // handles its own exceptions: one that escapes is a bug, and liveness reports it
                } finally {
                    lane.finished(start, nanoClock.getAsLong() - start);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The lane to run next, marked running; waits for one (a helper: for one that has waited long enough, see the
     * class comment); null once closed.
     */
    private Lane next(boolean helper) throws InterruptedException {
        lock.lock();
        try {
            while (!closed) {
                long now = nanoClock.getAsLong();
                while (!waiting.isEmpty() && waiting.peek().dueNanos <= now) {
                    Lane due = waiting.poll();
                    due.ready(due.dueNanos);
                }
                long delay = helper ? helperDelay() : 0;
                long takeAt = ready.isEmpty() ? Long.MAX_VALUE : longestReadySince() + delay;
                if (takeAt <= now) {
                    Lane lane = ready.poll();
                    lane.place = Place.RUNNING;
                    lane.again = false;
                    return lane;
                }
                long wakeAt = waiting.isEmpty() ? takeAt : Math.min(takeAt, waiting.peek().dueNanos + delay);
                await(helper, now, wakeAt);
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Waits for a signal meant for this kind of thread, and until {@code wakeAt} at most (MAX_VALUE: no limit). */
    private void await(boolean helper, long now, long wakeAt) throws InterruptedException {
        Condition wake = helper ? helperWake : firstThreadWake;
        if (!helper) {
            firstThreadIdle = true;
        } else if (wakeAt != Long.MAX_VALUE) {
            helperWakesAt = Math.min(helperWakesAt, wakeAt);
        }
        try {
            if (wakeAt == Long.MAX_VALUE) {
                wake.await();
            } else {
                wake.awaitNanos(Math.max(1, wakeAt - now));
            }
        } finally {
            if (!helper) {
                firstThreadIdle = false;
            } else if (helperWakesAt == wakeAt) {
                helperWakesAt = Long.MAX_VALUE; // another helper timing a later lane is woken again if need be
            }
        }
    }

    /** How long a ready lane waits before a helper may take it: none while more lanes wait than there are threads. */
    private long helperDelay() {
        return ready.size() > threads.size() ? 0 : HELP_AFTER_NANOS;
    }

    /** When the ready lane that has waited longest became ready; ready is not empty. */
    private long longestReadySince() {
        long since = Long.MAX_VALUE;
        for (Lane lane : ready) {
            since = Math.min(since, lane.readyNanos);
        }
        return since;
    }

    /**
     * A lane was queued that a helper may take from {@code helpAt}: the first thread takes it if it is free; else a
     * helper starts timing it, unless one wakes by then anyway.
     */
    private void wakeFor(long helpAt) {
        if (firstThreadIdle) {
            firstThreadWake.signal();
        } else if (helperWakesAt > helpAt) {
            helperWake.signal();
        }
    }

    private enum Place {
        IDLE, READY, WAITING, RUNNING, CLOSED
    }

    /** One stream's place in the pool. */
    final class Lane {
        private final Runnable task;
        private final long minIntervalNanos;
        private final DoubleSupplier fpsIn;
        private Place place = Place.IDLE;
        private boolean closing;
        /** A frame arrived while the lane ran: it goes back in the queue when the run ends. */
        private boolean again;
        private long dueNanos;
        private long lastStartNanos = Long.MIN_VALUE;
        /** When the lane last became ready, as a count of lanes made ready: ties of {@link #lastStartNanos} go by it. */
        private long readySince;
        /** When the lane last became ready, on the pool's clock: how long it has waited for a thread. */
        private long readyNanos;
        private final MeanCost cost = new MeanCost();

        private Lane(Runnable task, long minIntervalNanos, DoubleSupplier fpsIn) {
            this.task = task;
            this.minIntervalNanos = minIntervalNanos;
            this.fpsIn = fpsIn;
        }

        /**
         * A frame is waiting: queues the lane unless it is queued or running already. Returns true when the lane was
         * held back by its rate cap, so a frame that the new one replaced was skipped for the cap, not for capacity.
         */
        boolean frameWaiting() {
            lock.lock();
            try {
                boolean capped = place == Place.WAITING;
                if (closing) {
                    return capped;
                }
                switch (place) {
                    case IDLE -> queue();
                    case RUNNING -> again = true;
                    default -> {
                    }
                }
                return capped;
            } finally {
                lock.unlock();
            }
        }

        /** Whether the lane waits for its rate cap: a frame skipped now is skipped for the cap, not for capacity. */
        boolean capped() {
            lock.lock();
            try {
                return place == Place.WAITING;
            } finally {
                lock.unlock();
            }
        }

        /** The frames per second this stream asks for: its input rate, under its cap. */
        double wantedFps() {
            double fps = fpsIn.getAsDouble();
            return minIntervalNanos > 0 ? Math.min(fps, 1e9 / minIntervalNanos) : fps;
        }

        /** Mean milliseconds one frame of this stream takes to handle, 0 before the first. */
        double meanCostMs() {
            return cost.millis();
        }

        /** Takes the lane out of the pool; waits while a thread runs it, so its task never runs after this returns. */
        void close() throws InterruptedException {
            lock.lock();
            try {
                closing = true;
                ready.remove(this);
                waiting.remove(this);
                while (place == Place.RUNNING) {
                    changed.await();
                }
                place = Place.CLOSED;
            } finally {
                lock.unlock();
            }
        }

        private void finished(long startNanos, long costNanos) {
            lock.lock();
            try {
                lastStartNanos = startNanos;
                cost.add(costNanos);
                if (place != Place.RUNNING) {
                    return;
                }
                place = Place.IDLE;
                if (again && !closing && !closed) {
                    queue();
                }
                changed.signalAll(); // a closing lane waits for its run to end
            } finally {
                lock.unlock();
            }
        }

        private void queue() {
            long now = nanoClock.getAsLong();
            long due = lastStartNanos == Long.MIN_VALUE ? 0 : lastStartNanos + minIntervalNanos;
            if (minIntervalNanos > 0 && due > now) {
                dueNanos = due;
                place = Place.WAITING;
                waiting.add(this);
            } else {
                ready(now);
            }
            wakeFor((place == Place.WAITING ? dueNanos : now) + helperDelay());
        }

        /** Queues the lane for a thread, ready since {@code sinceNanos}. */
        private void ready(long sinceNanos) {
            place = Place.READY;
            readySince = ++queued;
            readyNanos = sinceNanos;
            ready.add(this);
        }
    }
}
