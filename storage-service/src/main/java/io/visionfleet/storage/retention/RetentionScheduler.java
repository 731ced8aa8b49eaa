package io.visionfleet.storage.retention;

import io.quarkus.scheduler.Scheduled;
import io.visionfleet.storage.archive.Archive;
import io.visionfleet.storage.config.StorageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;

/**
 * Runs retention: the free-space check often (cheap: one {@code statfs}), from start; the age and size sweep (a
 * directory walk) less often, first one interval after start. The two take turns on one lock, so they never delete
 * at the same time, and a run still going when its next is due skips that one.
 */
@ApplicationScoped
public class RetentionScheduler {
    private static final Logger LOG = Logger.getLogger(RetentionScheduler.class);

    private final RetentionSweeper sweeper;

    public RetentionScheduler(StorageConfig config, Archive archive, DiskSpace disk) {
        StorageConfig.Retention retention = config.retention();
        this.sweeper = new RetentionSweeper(archive, disk, retention.maxAge(), retention.maxSize().asLongValue());
    }

    @Scheduled(identity = "retention-free-space", every = "${fleet.storage.retention.free-space-check-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void checkFreeSpace() {
        run("free-space check", sweeper::ensureFreeSpace);
    }

    @Scheduled(identity = "retention-sweep", every = "${fleet.storage.retention.check-interval}",
            delayed = "${fleet.storage.retention.check-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        run("sweep", () -> sweeper.sweep(System.currentTimeMillis()));
    }

    private interface Task {
        int run() throws IOException;
    }

    /** A failed run is logged and tried again at the next interval. */
    private synchronized void run(String name, Task task) {
        try {
            task.run();
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "retention %s failed", name);
        }
    }
}
