package io.visionfleet.slam.stream;

import io.visionfleet.slam.config.CameraModels;
import io.visionfleet.slam.config.SlamConfig;
import io.visionfleet.slam.gps.GpsScale;
import io.visionfleet.slam.gps.SegmentScales;
import io.visionfleet.slam.imu.ImuFollower;
import io.visionfleet.slam.tracking.TrackerSettings;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The SLAM pipelines of all streams seen, by stream id; kept after a stream stops so its results stay readable. */
@ApplicationScoped
public class SlamStreams {
    private static final Logger LOG = Logger.getLogger(SlamStreams.class);

    private final SlamConfig config;
    private final CameraModels cameras;
    private final ImuFollower imu;
    private final Map<String, StreamSlam> streams = new ConcurrentHashMap<>();

    public SlamStreams(SlamConfig config, ImuFollower imu) {
        this.config = config;
        this.cameras = new CameraModels(config);
        this.imu = imu;
    }

    StreamSlam get(String streamId) {
        return streams.computeIfAbsent(streamId, id -> new StreamSlam(id, config.frameSkip(),
                TrackerSettings.defaults().withMaxKeyframes(config.maxKeyframes()), cameras, imu.prior(id),
                new SegmentScales(imu.positions(id), new GpsScale(config.gps().minExtent(), config.gps().minKeyframes())),
                config.maxTrajectoryPoses()));
    }

    public Optional<StreamSlam> find(String streamId) {
        return Optional.ofNullable(streams.get(streamId));
    }

    /** Writes the stream's final trajectory and map under {@code <output-dir>/<stream>}. */
    void writeFinal(String streamId) {
        StreamSlam s = streams.get(streamId);
        if (s == null) {
            return;
        }
        try {
            s.writeFinal(config.outputDir().resolve(streamId));
        } catch (IOException | RuntimeException e) {
            LOG.warnf("stream %s: cannot write its final trajectory under %s: %s", streamId,
                    config.outputDir().toAbsolutePath(), e.getMessage());
        }
    }
}
