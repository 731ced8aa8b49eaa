package io.visionfleet.ptz.sim;

import io.visionfleet.common.concurrent.DaemonThreads;
import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.common.h264.VideoCodec;
import io.visionfleet.common.net.Backoff;
import io.visionfleet.ptz.driver.PtzStatus;
import io.visionfleet.sim.publish.AnnexBSender;
import io.visionfleet.sim.publish.LiveH264Encoder;
import io.visionfleet.sim.publish.WsLink;
import io.visionfleet.sim.scene.FrameTruth;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The picture of a simulated PTZ camera, live: at its frame rate it renders the world through the motors' current
 * pan/tilt/zoom, encodes it to H.264 and publishes it into the relay on the ingest server's {@code /ws/video/{stream}},
 * as a real camera's stream would arrive. Listeners get every rendered frame with its ground truth.
 */
public final class SimulatedFeed implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SimulatedFeed.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(5);

    /**
     * One rendered picture: where the camera pointed, what it showed, its capture time (epoch ms) and its pixels
     * ({@code truth.width() x truth.height()} packed BGR, valid only during the listener's call: the buffer is reused).
     */
    public record Rendered(long frame, long captureTs, PtzStatus status, FrameTruth truth, byte[] bgr) {
    }

    private final String stream;
    private final SimWorld world;
    private final SimulatedPtz ptz;
    private final double fps;
    private final long epochNanos;
    private final WsLink link;
    private final List<Consumer<Rendered>> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param ingest     base of the ingest server, e.g. {@code ws://localhost:8080}
     * @param epochNanos the world's time origin, shared by cameras looking at the same world
     */
    public SimulatedFeed(String stream, SimWorld world, SimulatedPtz ptz, double fps, URI ingest, long epochNanos,
                         HttpClient http, ScheduledExecutorService timer) {
        this.stream = stream;
        this.world = world;
        this.ptz = ptz;
        this.fps = fps;
        this.epochNanos = epochNanos;
        URI uri = URI.create(ingest.toString().replaceAll("/+$", "") + "/ws/video/" + stream);
        this.link = new WsLink(http, uri, "ptz simulator " + stream, timer,
                new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10)), SEND_TIMEOUT, () -> { }, Optional.empty(),
                "fleet.ptz.cameras.<camera>.simulator.publish-user and publish-password (the camera of stream " + stream + ")");
        this.thread = DaemonThreads.thread("ptz-sim-" + stream, this::run);
    }

    public void start() {
        link.start();
        thread.start();
    }

    public void addListener(Consumer<Rendered> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<Rendered> listener) {
        listeners.remove(listener);
    }

    private void run() {
        int w = world.width();
        int h = world.height();
        byte[] bgr = new byte[w * h * 3];
        byte[] ids = new byte[w * h];
        long period = Math.round(1e9 / fps);
        // an IDR every second: a reader that joins (or a reconnect) waits at most that long for a picture
        try (LiveH264Encoder encoder = new LiveH264Encoder(w, h, fps, (int) Math.max(1, Math.round(fps)))) {
            AnnexBSender sender = new AnnexBSender(link, 0, () -> AnnexBSender.configJson(w, h, fps, VideoCodec.H264));
            long next = System.nanoTime();
            while (running) {
                long now = System.nanoTime();
                long frame = (now - epochNanos) / period;
                PtzStatus status = ptz.status();
                FrameTruth truth = world.render(status, frame, bgr, ids);
                long captureTs = System.currentTimeMillis();
                AccessUnit au = encoder.encode(bgr, captureTs);
                if (au != null) {
                    sender.send(au);
                }
                Rendered rendered = new Rendered(frame, captureTs, status, truth, bgr);
                for (Consumer<Rendered> l : listeners) {
                    l.accept(rendered);
                }
                next += period;
                long wait = next - System.nanoTime();
                if (wait < -period) {
                    next = System.nanoTime(); // fell behind (a stalled send): skip rather than burst
                } else if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "simulated camera %s stopped", stream);
        }
    }

    @Override
    public void close() {
        running = false;
        link.close();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
