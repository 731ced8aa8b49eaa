package io.visionfleet.storage.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;

/** Where and how storage-service archives streams and results ({@code fleet.storage.*}). */
@ConfigMapping(prefix = "fleet.storage")
public interface StorageConfig {
    /**
     * Root directory of the archive: {@code {root}/{stream}/{YYYY-MM-DD}/{HH}/{start}.mp4} (UTC) and
     * {@code {root}/{stream}/sessions/{start}/metadata.json}. Created at start-up.
     */
    @WithDefault("data/archive")
    Path root();

    /**
     * Target length of a segment. A segment is closed at the first key frame at or after this length, so real
     * segments are this long plus up to one GOP.
     */
    @WithDefault("60s")
    Duration segmentLength();

    /**
     * Longest stretch of video held in memory before it is written as an MP4 fragment, i.e. the most a kill -9
     * can lose of the segment being written. Between 100 ms and 2 s.
     */
    @WithDefault("1s")
    Duration fragmentDuration();

    /**
     * How often the segment being written is forced to the disk ({@code fsync}), so a power cut loses at most
     * this much more than a crash. 0 forces only when a segment closes.
     */
    @WithDefault("2s")
    Duration fsyncInterval();

    /**
     * A stream that comes back after a loss longer than this starts a new session instead of continuing the
     * current one with a gap.
     */
    @WithDefault("5m")
    Duration sessionGap();

    /** Interval between JPEG snapshots of a stream (taken at the first key frame due); 0 turns snapshots off. */
    @WithDefault("10s")
    Duration snapshotInterval();

    /** JPEG quality of snapshots as an MJPEG quantiser, 2 (best, largest) to 31 (worst, smallest). */
    @WithDefault("4")
    int snapshotQuantizer();

    /** Longest clip {@code GET .../clip.mp4} exports in one request. */
    @WithDefault("10m")
    Duration clipMaxLength();

    Retention retention();

    Results results();

    /** What is deleted, oldest first, and when. */
    interface Retention {
        /** Segments (with their results and snapshots) whose end is older than this are deleted. */
        @WithDefault("7d")
        Duration maxAge();

        /** Total size of the archive (video, results, snapshots, metadata) kept under this. */
        @WithDefault("20G")
        MemorySize maxSize();

        /**
         * Emergency clean-up: when the file system of the root has less free space than this, the oldest closed
         * segments are deleted until it has this much again. When nothing more can be deleted, recording pauses
         * (closes its segments) until space is free again, so the disk never fills up mid-fragment.
         */
        @WithDefault("1G")
        MemorySize minFree();

        /** Interval of the age and size sweep. */
        @WithDefault("1m")
        Duration checkInterval();

        /** Interval of the free-space check that triggers the emergency clean-up. */
        @WithDefault("5s")
        Duration freeSpaceCheckInterval();
    }

    /** The results archive: JSON Lines of the fleet's result exchanges, per stream and segment. */
    interface Results {
        /** Set to false to leave the result exchanges alone (no queues are declared). */
        @WithDefault("true")
        boolean enabled();

        /**
         * Prefix of the durable queues bound to the result exchanges ({@code <prefix>processed_frames}, ...). They
         * outlive the service, so results published while it is down are archived when it is back.
         */
        @WithDefault("storage.")
        String queuePrefix();

        /** Messages a queue keeps while storage is away; the oldest are dropped beyond it (broker memory bound). */
        @WithDefault("1000000")
        int queueMaxLength();

        /**
         * How often a replica looks for stream queues that hold results and have no consumer (their replica died and
         * the stream ended before another one took it over) among the streams it has seen, and drains them; a queue
         * found empty, unconsumed and of a stream nobody records on two sweeps in a row is deleted.
         */
        @WithDefault("30s")
        Duration orphanSweep();

        /** Unacknowledged messages in flight; acknowledgements wait for the flush to disk. */
        @WithDefault("1000")
        int prefetch();

        /**
         * Interval of the flush: written lines are forced to disk ({@code FileChannel.force}) and only then
         * acknowledged, so a crash loses nothing the broker considers delivered.
         */
        @WithDefault("200ms")
        Duration flushInterval();

        /**
         * Identities of the most recently archived results remembered to recognise redeliveries (at-least-once
         * delivery, publisher resends) and skip them instead of writing a duplicate line. Redeliveries come from the
         * last unacknowledged flush or a publisher's outbox ({@code fleet.rabbitmq.outbox.max-age}), so this needs to
         * cover what the fleet publishes in about that long; about 150 bytes of heap each.
         */
        @WithDefault("200000")
        int dedupWindow();

        /**
         * On start, result files modified this recently are read back (their last 4 MiB each) to refill the window,
         * so that redeliveries of what a previous run archived are recognised too.
         */
        @WithDefault("10m")
        Duration dedupRescan();

        /** Most results one {@code GET .../results} request returns. */
        @WithDefault("10000")
        int queryLimit();
    }
}
