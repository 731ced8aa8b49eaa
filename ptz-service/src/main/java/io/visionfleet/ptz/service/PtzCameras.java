package io.visionfleet.ptz.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.visionfleet.common.bus.BusConnection;
import io.visionfleet.common.concurrent.DaemonThreads;
import io.visionfleet.common.consumer.ConsumerConfig;
import io.visionfleet.common.messages.ProcessedFrame;
import io.visionfleet.common.net.UrlCredentials;
import io.visionfleet.common.stream.StreamIds;
import io.visionfleet.ptz.appearance.MaskAppearance;
import io.visionfleet.ptz.appearance.PictureRing;
import io.visionfleet.ptz.appearance.RelayPictures;
import io.visionfleet.ptz.bus.CommandPublisher;
import io.visionfleet.ptz.bus.ProcessedFrameListener;
import io.visionfleet.ptz.config.PtzConfig;
import io.visionfleet.ptz.control.AppearanceSource;
import io.visionfleet.ptz.control.CameraController;
import io.visionfleet.ptz.control.Handoff;
import io.visionfleet.ptz.driver.PtzDriver;
import io.visionfleet.ptz.driver.PtzException;
import io.visionfleet.ptz.isapi.IsapiDriver;
import io.visionfleet.ptz.onvif.OnvifDriver;
import io.visionfleet.ptz.sim.SimulatedFeed;
import io.visionfleet.ptz.sim.SimulatedPtz;
import io.visionfleet.ptz.sim.Simulators;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The configured cameras: a driver and a controller each, plus a live feed for simulated ones. Routes processed frames
 * to the controller of their stream and handoffs between controllers, ticks every controller (handoffs, return home)
 * and has each report its state at the configured interval.
 */
@ApplicationScoped
public class PtzCameras {
    private static final Logger LOG = Logger.getLogger(PtzCameras.class);
    private static final long TICK_MS = 100;

    private final PtzConfig config;
    private final BusConnection bus;
    private final CommandPublisher publisher;
    private final ConsumerConfig consumer;
    private final RelayPictures relayPictures;
    private final Map<String, CameraController> byCamera = new LinkedHashMap<>();
    private final Map<String, CameraController> byStream = new LinkedHashMap<>();
    private final Map<String, SimulatedFeed> feeds = new LinkedHashMap<>();
    private final ScheduledExecutorService timer = DaemonThreads.scheduler("ptz-ticker");
    private final Map<String, String> lastError = new java.util.concurrent.ConcurrentHashMap<>();
    private ProcessedFrameListener listener;
    private long ticks;

    public PtzCameras(PtzConfig config, BusConnection bus, CommandPublisher publisher, ConsumerConfig consumer,
                      RelayPictures relayPictures) {
        this.config = config;
        this.bus = bus;
        this.publisher = publisher;
        this.consumer = consumer;
        this.relayPictures = relayPictures;
    }

    void onStart(@Observes StartupEvent event) {
        long epoch = System.nanoTime();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        config.cameras().forEach((id, c) -> {
            if (!StreamIds.isValid(id) || !StreamIds.isValid(c.stream())) {
                throw new IllegalArgumentException("camera id and stream must be letters, digits, '-' or '_': " + id);
            }
            PtzDriver driver = driver(id, c, epoch, http);
            CameraController controller = new CameraController(id, c, driver, publisher, System::currentTimeMillis, router,
                    appearance(id, c));
            byCamera.put(id, controller);
            byStream.put(c.stream(), controller);
            LOG.infof("camera %s: %s driver, stream %s, %s/%s", id, c.driver(), c.stream(), c.control().mode(),
                    c.control().policy());
        });
        listener = new ProcessedFrameListener(bus, byStream.keySet(), this::onFrame);
        long reportEvery = Math.max(1, config.stateInterval().toMillis() / TICK_MS);
        timer.scheduleWithFixedDelay(() -> tick(reportEvery), TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        timer.shutdownNow();
        if (listener != null) {
            listener.close();
        }
        feeds.values().forEach(SimulatedFeed::close);
        byCamera.values().forEach(c -> c.driver().close());
    }

    public Collection<CameraController> all() {
        return byCamera.values();
    }

    public Optional<CameraController> camera(String id) {
        return Optional.ofNullable(byCamera.get(id));
    }

    /** The live feed of a simulated camera. */
    public Optional<SimulatedFeed> feed(String id) {
        return Optional.ofNullable(feeds.get(id));
    }

    /**
     * Where a camera's colours come from: a simulated camera's own rendering, or else its stream decoded from the
     * relay by the RTSP consumer, which must then pull that stream.
     */
    private AppearanceSource appearance(String id, PtzConfig.Camera c) {
        if (!c.appearance().enabled()) {
            return AppearanceSource.NONE;
        }
        PictureRing ring = PictureRing.of(c.appearance());
        SimulatedFeed feed = feeds.get(id);
        if (feed != null) {
            feed.addListener(r -> ring.put(r.captureTs(), r.bgr(), r.truth().width(), r.truth().height()));
        } else {
            relayPictures.register(c.stream(), ring);
            boolean pulled = consumer.enabled() && (consumer.streams().contains(c.stream()) || consumer.followStreamEvents());
            if (!pulled && !c.neighbours().isEmpty()) {
                LOG.warnf("camera %s: no pictures of stream %s, so handoffs match without colours (pull it: "
                        + "fleet.consumer.enabled=true, fleet.consumer.streams=%s)", id, c.stream(), c.stream());
            }
        }
        return new MaskAppearance(ring);
    }

    private PtzDriver driver(String id, PtzConfig.Camera c, long epoch, HttpClient http) {
        switch (c.driver()) {
            case "simulator" -> {
                SimulatedPtz ptz = Simulators.motors(c, System::nanoTime);
                c.simulator().ingestUrl().filter(url -> !url.isBlank()).ifPresent(url -> {
                    // publish credentials travel as the URL's user info, which the feed's link presents and never logs
                    String withLogin = c.simulator().publishUser().filter(u -> !u.isBlank())
                            .map(u -> UrlCredentials.withLogin(url, new UrlCredentials.Login(u, c.simulator().publishPassword().orElse(""))))
                            .orElse(url);
                    SimulatedFeed feed = new SimulatedFeed(c.stream(), Simulators.world(c), ptz, c.simulator().fps(),
                            URI.create(withLogin), epoch, http, timer);
                    feeds.put(id, feed);
                    feed.start();
                });
                return ptz;
            }
            case "isapi" -> {
                PtzConfig.Isapi i = c.isapi();
                URI base = URI.create(i.url().orElseThrow(() ->
                        new IllegalArgumentException("camera " + id + ": fleet.ptz.cameras." + id + ".isapi.url is required")));
                char[] password = i.password().orElse("").toCharArray();
                return new IsapiDriver(new IsapiDriver.Settings(base, i.username(), password, i.channel(), i.timeout(),
                        i.authBackoff(), i.continuousPulse()), Simulators.capabilities(c), System::currentTimeMillis);
            }
            case "onvif" -> {
                PtzConfig.Onvif o = c.onvif();
                URI device = URI.create(o.url().orElseThrow(() ->
                        new IllegalArgumentException("camera " + id + ": fleet.ptz.cameras." + id + ".onvif.url is required")));
                return new OnvifDriver(new OnvifDriver.Settings(device, o.username(), o.password().orElse("").toCharArray(),
                        o.profile(), o.timeout(), o.authBackoff(), o.continuousTimeout(), o.panDegMin(), o.panDegMax(),
                        o.tiltDegMin(), o.tiltDegMax()), Simulators.capabilities(c), System::currentTimeMillis);
            }
            default -> throw new IllegalArgumentException("camera " + id + ": driver must be simulator, isapi or onvif, got '"
                    + c.driver() + "'");
        }
    }

    private void onFrame(ProcessedFrame frame) {
        CameraController controller = byStream.get(frame.streamId());
        if (controller != null) {
            guarded(controller, () -> controller.onFrame(frame));
        }
    }

    /** Handoffs between the cameras of this service, through their inboxes (never a call into another's lock). */
    private final CameraController.HandoffRouter router = new CameraController.HandoffRouter() {
        @Override
        public boolean send(String toCamera, Handoff handoff) {
            CameraController to = byCamera.get(toCamera);
            if (to == null) {
                LOG.warnf("handoff from %s to unknown camera %s", handoff.fromCamera(), toCamera);
                return false;
            }
            to.offer(handoff);
            return true;
        }

        @Override
        public void acquired(String toCamera, String byCamera) {
            CameraController to = PtzCameras.this.byCamera.get(toCamera);
            if (to != null) {
                to.acquiredBy(byCamera);
            }
        }

        @Override
        public void update(String toCamera, Handoff handoff) {
            CameraController to = byCamera.get(toCamera);
            if (to != null) {
                to.update(handoff);
            }
        }
    };

    private void tick(long reportEvery) {
        if (!byCamera.isEmpty() && ticks % 20 == 0) {
            listener.subscribe(); // at once when subscribed; a broker that is down is tried every 2 s
        }
        boolean report = ticks++ % reportEvery == 0;
        for (CameraController c : byCamera.values()) {
            guarded(c, () -> c.tick(report));
        }
    }

    /** Runs camera work; a failing camera (unreachable, refusing logins) is logged when its error changes, not per frame. */
    private void guarded(CameraController c, Runnable work) {
        try {
            work.run();
            if (lastError.remove(c.cameraId()) != null) {
                LOG.infof("camera %s: working again", c.cameraId());
            }
        } catch (PtzException | IllegalArgumentException e) {
            String message = e.getMessage();
            if (!message.equals(lastError.put(c.cameraId(), message))) {
                LOG.warnf("camera %s: %s", c.cameraId(), message);
            }
        }
    }
}
