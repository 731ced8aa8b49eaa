package io.visionfleet.storage.retention;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.visionfleet.common.concurrent.DaemonThreads;
import io.visionfleet.storage.archive.Archive;
import io.visionfleet.storage.config.StorageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs retention on one thread: the free-space check often (cheap: one {@code statfs}), the age and size sweep
 * (a directory walk) less often. One thread, so the two never delete at the same time.
 */
@ApplicationScoped
public class RetentionScheduler {
    private static final Logger LOG = Logger.getLogger(RetentionScheduler.class);

    private final StorageConfig.Retention config;
    private final RetentionSweeper sweeper;
    private ScheduledExecutorService scheduler;

    public RetentionScheduler(StorageConfig config, Archive archive, DiskSpace disk) {
        this.config = config.retention();
        this.sweeper = new RetentionSweeper(archive, disk, this.config.maxAge(), this.config.maxSize().asLongValue());
    }

    void onStart(@Observes StartupEvent event) {
        scheduler = DaemonThreads.scheduler("retention");
        long freeMs = config.freeSpaceCheckInterval().toMillis();
        long sweepMs = config.checkInterval().toMillis();
        scheduler.scheduleWithFixedDelay(() -> run("free-space check", sweeper::ensureFreeSpace), 0, freeMs, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> run("sweep", () -> sweeper.sweep(System.currentTimeMillis())),
                sweepMs, sweepMs, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private interface Task {
        int run() throws IOException;
    }

    /** A failed run is logged and retried at the next interval: a scheduled task that throws would stop for good. */
    private static void run(String name, Task task) {
        try {
            task.run();
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "retention %s failed", name);
        }
    }
}
