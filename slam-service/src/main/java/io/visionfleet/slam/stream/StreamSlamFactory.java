package io.visionfleet.slam.stream;

import io.visionfleet.slam.config.CameraModels;
import io.visionfleet.slam.config.SlamConfig;
import io.visionfleet.slam.gps.GpsScale;
import io.visionfleet.slam.gps.SegmentScales;
import io.visionfleet.slam.imu.ImuFollower;
import io.visionfleet.slam.tracking.TrackerSettings;
import jakarta.enterprise.context.ApplicationScoped;

/** Makes the SLAM pipeline of a stream from the service's configuration; the consumer owns what it makes. */
@ApplicationScoped
public class StreamSlamFactory {
    private final SlamConfig config;
    private final CameraModels cameras;
    private final ImuFollower imu;

    public StreamSlamFactory(SlamConfig config, ImuFollower imu) {
        this.config = config;
        this.cameras = new CameraModels(config);
        this.imu = imu;
    }

    /**
     * A fresh pipeline for {@code streamId}. It writes its final results under
     * {@code <output-dir>/<stream>/session-<opened, epoch ms>}, so a stream that comes back after its session expired
     * keeps what the earlier session wrote.
     */
    StreamSlam open(String streamId) {
        return new StreamSlam(streamId, config.frameSkip(),
                TrackerSettings.defaults().withMaxKeyframes(config.maxKeyframes()), cameras, imu.prior(streamId),
                new SegmentScales(imu.positions(streamId),
                        new GpsScale(config.gps().minExtent(), config.gps().minKeyframes())),
                config.maxTrajectoryPoses(),
                config.outputDir().resolve(streamId).resolve("session-" + System.currentTimeMillis()));
    }
}
