package io.visionfleet.common.concurrent;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * Named daemon threads for the services' background work (stream workers, timers, retries, writers). Daemon, so that
 * work stuck in native code or I/O never keeps a service from exiting after its shutdown hooks ran; named, so that a
 * thread dump says whose it is.
 */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    /** An unstarted daemon thread named {@code name} that runs {@code work}. */
    public static Thread thread(String name, Runnable work) {
        Thread t = new Thread(work, name);
        t.setDaemon(true);
        return t;
    }

    /** A factory of daemon threads, all named {@code name}. */
    public static ThreadFactory named(String name) {
        return work -> thread(name, work);
    }

    /** One daemon thread named {@code name} that runs scheduled and queued work in order. */
    public static ScheduledExecutorService scheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(named(name));
    }
}
