package io.visionfleet.storage.record;

import io.visionfleet.storage.config.StorageConfig;

import java.time.Duration;

/**
 * The plain values a {@link StreamRecorder} needs (see {@link StorageConfig} for each), so tests can build one
 * without CDI.
 */
public record RecorderSettings(Duration segmentLength, Duration fragmentDuration, Duration fsyncInterval,
                               Duration sessionGap, Duration snapshotInterval, int snapshotQuantizer) {
    public RecorderSettings {
        if (segmentLength.toMillis() < 1000) {
            throw new IllegalArgumentException("segment length must be at least 1 s, got " + segmentLength);
        }
        if (fragmentDuration.toMillis() < 100 || fragmentDuration.toMillis() > 2000) {
            throw new IllegalArgumentException("fragment duration must be 100 ms to 2 s, got " + fragmentDuration);
        }
        if (fsyncInterval.isNegative() || sessionGap.isNegative() || snapshotInterval.isNegative()) {
            throw new IllegalArgumentException("intervals must not be negative");
        }
    }

    public static RecorderSettings of(StorageConfig config) {
        return new RecorderSettings(config.segmentLength(), config.fragmentDuration(), config.fsyncInterval(),
                config.sessionGap(), config.snapshotInterval(), config.snapshotQuantizer());
    }
}
