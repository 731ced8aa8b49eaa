package io.visionfleet.common.consumer.runtime;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.HealthRegistry;
import io.visionfleet.common.bus.BusConfig;
import io.visionfleet.common.bus.BusConnection;
import io.visionfleet.common.concurrent.DaemonThreads;
import io.visionfleet.common.consumer.ConsumerConfig;
import io.visionfleet.common.consumer.FrameConsumer;
import io.visionfleet.common.consumer.RtspConsumer;
import io.visionfleet.common.consumer.StreamEventFollower;
import io.visionfleet.common.consumer.StreamState;
import io.visionfleet.common.consumer.ownership.OwnershipHealthCheck;
import io.visionfleet.common.consumer.ownership.OwnershipSettings;
import io.visionfleet.common.consumer.ownership.StreamOwnership;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.bytedeco.opencv.global.opencv_core;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the service's {@link RtspConsumer} bean, if it has one (ingest-server has none and is left alone):
 * registers its health checks and meters, follows the configured streams and the stream events, logs each
 * stream's frame rates, and stops everything on shutdown. With {@code fleet.consumer.ownership.enabled}, streams go
 * through {@link StreamOwnership}, which follows only those this replica holds the lease of.
 */
@ApplicationScoped
public class ConsumerLifecycle {
    private static final Logger LOG = Logger.getLogger(ConsumerLifecycle.class);
    private static final Duration SUBSCRIBE_RETRY = Duration.ofSeconds(5);

    private final Instance<RtspConsumer<?>> consumers;
    private final ConsumerConfig config;
    private final BusConnection bus;
    private final BusConfig busConfig;
    private final String applicationName;
    private final MeterRegistry meters;
    private final HealthRegistry readiness;
    private final HealthRegistry liveness;
    /** What this app registered: the registries outlive it (e.g. the next Quarkus app in a test JVM). */
    private final List<Runnable> unregister = new ArrayList<>();
    private ScheduledExecutorService scheduler;
    private StreamEventFollower follower;
    private RtspConsumer<?> consumer;
    private volatile StreamOwnership ownership;

    public ConsumerLifecycle(Instance<RtspConsumer<?>> consumers, ConsumerConfig config, BusConnection bus,
                             BusConfig busConfig, @ConfigProperty(name = "quarkus.application.name") String applicationName,
                             MeterRegistry meters, @Readiness HealthRegistry readiness,
                             @Liveness HealthRegistry liveness) {
        this.consumers = consumers;
        this.config = config;
        this.bus = bus;
        this.busConfig = busConfig;
        this.applicationName = applicationName;
        this.meters = meters;
        this.readiness = readiness;
        this.liveness = liveness;
    }

    void onStart(@Observes StartupEvent event) {
        if (!consumers.isResolvable()) {
            return;
        }
        consumer = consumers.get();
        if (consumer instanceof FrameConsumer<?> && config.opencvThreads() > 0) {
            opencv_core.setNumThreads(config.opencvThreads()); // before any stream's handling starts
        }
        consumer.addListener(new ConsumerMetrics(meters, consumer));
        register(readiness, StreamHealthChecks.readiness(consumer, config.enabled()));
        register(liveness, StreamHealthChecks.liveness(consumer));
        if (!config.enabled()) {
            LOG.info("stream consumer disabled (fleet.consumer.enabled=false)");
            return;
        }
        Set<String> pinned = new HashSet<>(config.streams());
        if (config.ownership().enabled()) {
            StreamOwnership shared = new StreamOwnership(OwnershipSettings.of(config.ownership(), applicationName),
                    busConfig, consumer, pinned);
            register(readiness, new OwnershipHealthCheck(shared));
            Gauge.builder("fleet.ownership.owned.streams", shared, o -> o.view().owned().size())
                    .description("streams whose lease this replica holds").register(meters);
            Gauge.builder("fleet.ownership.replicas", shared, o -> o.view().replicas())
                    .description("live replicas sharing this service's streams").register(meters);
            shared.start();
            ownership = shared;
            follower = new StreamEventFollower(bus, shared::started, shared::stopped, pinned);
        } else {
            config.streams().forEach(consumer::follow);
            follower = new StreamEventFollower(bus, consumer, pinned);
        }
        scheduler = DaemonThreads.scheduler("rtsp-consumer-scheduler");
        if (config.followStreamEvents()) {
            follower.start(SUBSCRIBE_RETRY);
        }
        long logMs = config.statsLogInterval().toMillis();
        if (logMs > 0) {
            scheduler.scheduleAtFixedRate(this::logRates, logMs, logMs, TimeUnit.MILLISECONDS);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (consumer == null) {
            return;
        }
        unregister.forEach(Runnable::run);
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (follower != null) {
            follower.close();
        }
        if (ownership != null) {
            ownership.close();
        }
        consumer.close();
    }

    private void register(HealthRegistry registry, HealthCheck check) {
        registry.register(check);
        unregister.add(() -> registry.remove(check));
    }

    /** Stream ownership across replicas, when {@code fleet.consumer.ownership.enabled}. */
    public Optional<StreamOwnership> ownership() {
        return Optional.ofNullable(ownership);
    }

    private void logRates() {
        long now = System.currentTimeMillis();
        for (StreamState s : consumer.streams()) {
            LOG.infof("stream %s: %s, %.1f fps in, %.1f fps processed, %d dropped, last frame %s, %d reconnects",
                    s.streamId(), s.phase().name().toLowerCase(Locale.ROOT), s.fpsIn(now), s.fpsProcessed(now),
                    s.dropped(), s.lastFrameAgeMs(now) < 0 ? "never" : s.lastFrameAgeMs(now) + " ms ago", s.reconnects());
        }
    }
}
