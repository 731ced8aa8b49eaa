package io.visionfleet.slam.imu;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.visionfleet.common.bus.BusConnection;
import io.visionfleet.common.bus.BusSubscription;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.consumer.FollowedStreamsFeed;
import io.visionfleet.common.consumer.StreamListener;
import io.visionfleet.common.stream.StreamIds;
import io.visionfleet.slam.config.SlamConfig;
import io.visionfleet.slam.gps.GpsFix;
import io.visionfleet.slam.gps.GpsTrack;
import io.visionfleet.slam.gps.PositionPrior;
import io.visionfleet.slam.tracking.ImuPrior;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Listens to {@code imu_data_exchange} for the streams this replica follows ({@link FollowedStreamsFeed}: a
 * server-named exclusive queue bound per stream, so a replica receives no other replica's telemetry; missed samples
 * are simply old) and
 * keeps an {@link ImuBuffer} per stream, in the camera axes configured for that stream, and a {@link GpsTrack} per
 * stream whose samples carry GPS positions. Messages that are neither are ignored; malformed ones are counted
 * and logged once.
 */
@ApplicationScoped
public class ImuFollower {
    private static final Logger LOG = Logger.getLogger(ImuFollower.class);
    private static final Duration RETRY = Duration.ofSeconds(5);

    private final SlamConfig config;
    private final BusSubscription subscription;
    private final FollowedStreamsFeed feed = new FollowedStreamsFeed(Exchanges.IMU_DATA);
    private final Map<String, ImuBuffer> buffers = new ConcurrentHashMap<>();
    private final Map<String, GpsTrack> tracks = new ConcurrentHashMap<>();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong fixes = new AtomicLong();
    private volatile boolean tooManyLogged;

    public ImuFollower(BusConnection bus, SlamConfig config) {
        this.config = config;
        this.subscription = new BusSubscription("imu-subscribe", bus, this::consume);
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.imu().enabled() && !config.gps().enabled()) {
            return;
        }
        if (config.imu().bodyToCamera().size() != 9) {
            throw new IllegalStateException("fleet.slam.imu.body-to-camera needs 9 values (row-major 3x3), got "
                    + config.imu().bodyToCamera().size());
        }
        subscription.start(RETRY);
    }

    void onStop(@Observes ShutdownEvent event) {
        subscription.close();
    }

    /** The stream's inertial prior: answers from its buffer once samples arrive for it. */
    public ImuPrior prior(String streamId) {
        return config.imu().enabled() ? new LazyPrior(streamId) : ImuPrior.NONE;
    }

    /** The stream's positions in local metres: answers from its GPS track once fixes arrive for it. */
    public PositionPrior positions(String streamId) {
        if (!config.gps().enabled()) {
            return PositionPrior.NONE;
        }
        return seconds -> {
            GpsTrack t = tracks.get(streamId);
            return t == null ? Optional.empty() : t.position(seconds);
        };
    }

    /** GPS fixes accepted so far, all streams. */
    public long fixes() {
        return fixes.get();
    }

    /** IMU samples accepted so far, all streams. */
    public long samples() {
        return samples.get();
    }

    /** Adds a {@code telemetry/1} message body; public so tests can feed the parser and buffers directly. */
    public void accept(byte[] body) {
        JsonNode message;
        try {
            message = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            logMalformed("not JSON: " + e.getMessage());
            return;
        }
        String streamId = message == null ? null : message.path("stream_id").asText(null);
        if (streamId == null || !StreamIds.isValid(streamId)) {
            logMalformed("no valid stream_id");
            return;
        }
        JsonNode capture = message.get("capture_ts");
        double timeMs = capture != null && capture.isNumber() ? capture.asDouble() : message.path("received_ts").asDouble(Double.NaN);
        if (!Double.isFinite(timeMs)) {
            logMalformed("no capture_ts or received_ts");
            return;
        }
        double time = timeMs + config.imu().timeOffset().toMillis();
        JsonNode data = message.get("data");
        if (config.imu().enabled()) {
            Optional<ImuReading> reading = TelemetryParser.parse(data, time);
            ImuBuffer buffer = reading.isEmpty() ? null : forStream(buffers, streamId, id -> new ImuBuffer(bodyToCamera(id)));
            if (buffer != null) {
                buffer.add(reading.get());
                samples.incrementAndGet();
            }
        }
        if (config.gps().enabled()) {
            Optional<GpsFix> fix = TelemetryParser.parseGps(data, time);
            GpsTrack track = fix.isEmpty() ? null
                    : forStream(tracks, streamId, id -> new GpsTrack(config.gps().maxGap().toMillis() / 1000.0));
            if (track != null) {
                track.add(fix.get());
                fixes.incrementAndGet();
            }
        }
    }

    /** The stream's entry of {@code map}, created on first use unless {@code imu.max-streams} are there already. */
    private <T> T forStream(Map<String, T> map, String streamId, Function<String, T> create) {
        T value = map.get(streamId);
        if (value != null) {
            return value;
        }
        if (map.size() >= config.imu().maxStreams()) {
            if (!tooManyLogged) {
                tooManyLogged = true;
                LOG.warnf("telemetry of more than %d streams: samples of %s and further new streams are ignored",
                        config.imu().maxStreams(), streamId);
            }
            return null;
        }
        return map.computeIfAbsent(streamId, create);
    }

    private double[] bodyToCamera(String streamId) {
        SlamConfig.Camera camera = config.cameras().get(streamId);
        List<Double> values = config.imu().bodyToCamera();
        if (camera != null && camera.bodyToCamera().isPresent()) {
            if (camera.bodyToCamera().get().size() == 9) {
                values = camera.bodyToCamera().get();
            } else {
                LOG.warnf("fleet.slam.cameras.%s.body-to-camera needs 9 values, got %d: using fleet.slam.imu.body-to-camera",
                        streamId, camera.bodyToCamera().get().size());
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The streams whose telemetry to receive: register it with the consumer, which follows and unfollows them. */
    public StreamListener followedStreams() {
        return feed;
    }

    private void consume(Channel ch) throws IOException {
        String queue = feed.declare(ch);
        ch.basicConsume(queue, true, (tag, delivery) -> accept(delivery.getBody()), tag -> { });
        LOG.infof("following %s for the streams this replica follows", Exchanges.IMU_DATA);
    }

    private void logMalformed(String why) {
        if (malformed.incrementAndGet() == 1) {
            LOG.warnf("ignoring a malformed %s message (%s); further ones are only counted", Exchanges.IMU_DATA, why);
        }
    }

    /** Looks the buffer up on each call, so a stream whose samples start after tracking did still gets them. */
    private final class LazyPrior implements ImuPrior {
        private final String streamId;

        LazyPrior(String streamId) {
            this.streamId = streamId;
        }

        @Override
        public Optional<double[]> rotation(double fromSeconds, double toSeconds) {
            ImuBuffer b = buffers.get(streamId);
            return b == null ? Optional.empty() : b.rotation(fromSeconds, toSeconds);
        }

        @Override
        public Optional<double[]> up(double seconds) {
            ImuBuffer b = buffers.get(streamId);
            return b == null ? Optional.empty() : b.up(seconds);
        }
    }
}
