package io.visionfleet.ptz.stream;

import io.visionfleet.common.concurrent.DaemonThreads;
import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.common.h264.VideoCodec;
import io.visionfleet.common.net.Backoff;
import io.visionfleet.common.testing.SystemFfmpeg;
import io.visionfleet.ptz.driver.PtzStatus;
import io.visionfleet.ptz.sim.SimWorld;
import io.visionfleet.ptz.sim.SimulatedFeed;
import io.visionfleet.sim.publish.AnnexBSender;
import io.visionfleet.sim.publish.WsLink;
import io.visionfleet.sim.scene.FrameTruth;
import io.visionfleet.sim.scene.SyntheticVideo;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A simulated camera that stays at one pan/tilt/zoom, in H.265, which {@link SimulatedFeed} cannot send (JavaCV's
 * FFmpeg has no H.265 encoder): the world's first {@code frames} pictures are encoded once by the system ffmpeg's
 * libx265 and then published in a loop at the frame rate on the ingest server's {@code /ws/video/{stream}}, each
 * stamped with its send time; the listener gets each picture rendered again with its ground truth, as
 * {@link SimulatedFeed}'s listeners do.
 */
public final class H265ClipFeed implements AutoCloseable {
    private final SimWorld world;
    private final PtzStatus status;
    private final double fps;
    private final List<AccessUnit> clip;
    private final WsLink link;
    private final Consumer<SimulatedFeed.Rendered> listener;
    private final Thread thread;
    private volatile boolean running = true;

    private H265ClipFeed(String stream, SimWorld world, PtzStatus status, int fps, List<AccessUnit> clip, URI ingest,
                         HttpClient http, ScheduledExecutorService timer, Consumer<SimulatedFeed.Rendered> listener) {
        this.world = world;
        this.status = status;
        this.fps = fps;
        this.clip = clip;
        this.listener = listener;
        this.link = new WsLink(http, URI.create(ingest + "/ws/video/" + stream), "H.265 clip " + stream, timer,
                new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1)), Duration.ofSeconds(5), () -> { });
        this.thread = DaemonThreads.thread("h265-clip-" + stream, this::run);
    }

    /** Encodes the clip (an IRAP every second) in {@code dir} and starts publishing it. */
    public static H265ClipFeed start(String stream, SimWorld world, PtzStatus status, int fps, int frames, Path dir, URI ingest,
                              HttpClient http, ScheduledExecutorService timer, Consumer<SimulatedFeed.Rendered> listener)
            throws IOException {
        Path raw = dir.resolve(stream + ".bgr");
        byte[] bgr = new byte[world.width() * world.height() * 3];
        byte[] ids = new byte[world.width() * world.height()];
        try (OutputStream out = Files.newOutputStream(raw)) {
            for (int f = 0; f < frames; f++) {
                world.render(status, f, bgr, ids);
                out.write(bgr);
            }
        }
        Path hevc = SystemFfmpeg.x265FromBgr(raw, world.width(), world.height(), fps, fps, dir.resolve(stream + ".h265"));
        List<AccessUnit> clip = SyntheticVideo.accessUnits(Files.readAllBytes(hevc));
        if (clip.size() != frames || clip.get(0).codec() != VideoCodec.H265) {
            throw new IllegalStateException(hevc + ": " + clip.size() + " pictures, not " + frames + " in H.265");
        }
        H265ClipFeed feed = new H265ClipFeed(stream, world, status, fps, clip, ingest, http, timer, listener);
        feed.link.start();
        feed.thread.start();
        return feed;
    }

    private void run() {
        int w = world.width();
        int h = world.height();
        byte[] bgr = new byte[w * h * 3];
        byte[] ids = new byte[w * h];
        AnnexBSender sender = new AnnexBSender(link, 0, () -> AnnexBSender.configJson(w, h, fps, VideoCodec.H265));
        long period = Math.round(1e9 / fps);
        long next = System.nanoTime();
        long captureTs = 0;
        for (long n = 0; running; n++) {
            int f = (int) (n % clip.size());
            FrameTruth truth = world.render(status, f, bgr, ids);
            // strictly increasing, as a camera's: after a stall the catching-up sends may fall in one millisecond, and
            // ingest-server restamps a picture whose capture time is not after the last one's from its arrival
            captureTs = Math.max(System.currentTimeMillis(), captureTs + 1);
            sender.send(clip.get(f).withCaptureTs(captureTs));
            listener.accept(new SimulatedFeed.Rendered(f, captureTs, status, truth, bgr));
            next += period;
            LockSupport.parkNanos(next - System.nanoTime());
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        link.close();
        thread.join(TimeUnit.SECONDS.toMillis(2));
    }
}
