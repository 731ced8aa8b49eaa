package io.visionfleet.dronesim;

import io.visionfleet.common.concurrent.DaemonThreads;
import io.visionfleet.common.h264.VideoCodec;
import io.visionfleet.common.net.Backoff;
import io.visionfleet.common.net.UrlCredentials;
import io.visionfleet.sim.publish.WsLink;
import org.jboss.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The simulated drone: streams H.264 or H.265 (a file) or H.264 (a synthetic scene) at real-time pace into the ingest server's
 * {@code /ws/video/{id}} and IMU-like telemetry into {@code /ws/telemetry/{id}}, reconnecting whenever the
 * server is away, until the duration ends, the file ends without looping, or the process is told to stop.
 */
@Command(name = "drone-sim", sortOptions = false, usageHelpAutoWidth = true,
        description = "Streams H.264 or H.265 video and telemetry into the Vision Fleet ingest server over WebSocket, as a drone or phone would.")
public class DroneSimCommand implements Callable<Integer> {
    private static final Logger LOG = Logger.getLogger(DroneSimCommand.class);
    private static final Pattern STREAM_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Duration BACKOFF_INITIAL = Duration.ofMillis(500);
    private static final Duration BACKOFF_MAX = Duration.ofSeconds(10);
    /** A send the server has not taken within this time means a dead peer: reconnect. */
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STATS_INTERVAL = Duration.ofSeconds(5);
    /** A raw H.264 or H.265 stream carries no frame rate; this is the rate of most drone and phone cameras. */
    private static final double RAW_DEFAULT_FPS = 30;
    private static final Duration STOP_GRACE = Duration.ofSeconds(4);

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--server", defaultValue = "ws://localhost:8080", description = "Ingest server base URL (default: ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--stream", defaultValue = "drone", description = "Stream id: 1-64 of [A-Za-z0-9_.-] (default: ${DEFAULT-VALUE}).")
    String stream;

    @Option(names = "--file", paramLabel = "PATH", description = "H.264 or H.265 to stream: raw Annex-B (.h264/.h265) or a container such as MP4 or MKV (remuxed, not re-encoded).")
    Path file;

    @Option(names = "--synthetic", description = "Stream a generated moving-shapes scene (the default without --file).")
    boolean synthetic;

    @Option(names = "--width", defaultValue = "640", description = "Synthetic scene width (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--height", defaultValue = "360", description = "Synthetic scene height (default: ${DEFAULT-VALUE}).")
    int height;

    @Option(names = "--fps", description = "Frame rate (default: 30, or a container file's own rate).")
    Double fps;

    @Option(names = "--gop", defaultValue = "30", description = "Synthetic scene frames per IDR (default: ${DEFAULT-VALUE}).")
    int gop;

    @Option(names = "--clip-seconds", defaultValue = "10", description = "Length of the synthetic clip that loops (default: ${DEFAULT-VALUE}).")
    double clipSeconds;

    @Option(names = "--loop", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Start over at the end of the video (default: ${DEFAULT-VALUE}).")
    boolean loop;

    @Option(names = "--duration", defaultValue = "0", description = "Seconds to stream, counted from the first connection; 0 runs until stopped (default: ${DEFAULT-VALUE}).")
    double duration;

    @Option(names = "--telemetry-hz", defaultValue = "20", description = "Telemetry samples per second; 0 sends none (default: ${DEFAULT-VALUE}).")
    double telemetryHz;

    @Option(names = "--chunk", defaultValue = "0", paramLabel = "BYTES",
            description = "Cut the video into binary messages of 1..BYTES at arbitrary offsets; 0 sends one message per frame (default: ${DEFAULT-VALUE}).")
    int chunk;

    @Option(names = "--user", defaultValue = "${env:FLEET_PUBLISH_USER}", paramLabel = "NAME",
            description = "User of the ingest server's publish credentials (default: $FLEET_PUBLISH_USER; none when unset, "
                    + "which a server without credentials accepts from its own machine only).")
    String user;

    @Option(names = "--password", defaultValue = "${env:FLEET_PUBLISH_PASSWORD}", paramLabel = "SECRET",
            description = "Its password (default: $FLEET_PUBLISH_PASSWORD; prefer the variable: a command line is visible "
                    + "to every user of the machine).")
    String password;

    @Option(names = "--send-config", description = "Send {\"type\":\"video_config\",...} as the first message of each connection.")
    boolean sendConfig;

    private final StopSignal stop = new StopSignal();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final SendStats stats = new SendStats();

    @Override
    public Integer call() {
        URI base = validate();
        Thread hook = new Thread(this::stopAndWait, "drone-sim-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return run(base);
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running and waits for us: nothing to remove
            }
        }
    }

    /** Stops the run from another thread: what SIGTERM or Ctrl-C does. */
    public void stop() {
        stop.stop();
    }

    /** What has been sent so far. */
    SendStats stats() {
        return stats;
    }

    private int run(URI base) {
        ScheduledExecutorService timer = DaemonThreads.scheduler("drone-sim-timer");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (VideoSource video = openVideo()) {
            WsLink videoLink = link(http, base, "video", timer);
            WsLink telemetryLink = telemetryHz > 0 ? link(http, base, "telemetry", timer) : null;
            Thread telemetry = telemetryLink == null ? null : startTelemetry(telemetryLink);
            if (duration > 0) {
                // the time spent streaming, not waiting for a server: a run gives the server that much video
                videoLink.whenFirstConnected(() -> timer.schedule(stop::stop, Math.round(duration * 1000), TimeUnit.MILLISECONDS));
            }
            videoLink.whenFirstConnected(() -> {
                stats.startInterval();
                timer.scheduleAtFixedRate(() -> stats.report(stream), STATS_INTERVAL.toMillis(), STATS_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            });
            LOG.infof("streaming %s as '%s' to %s at %.3f fps%s", describeSource(), stream, UrlCredentials.redact(base.toString()),
                    video.format().fps(), telemetryLink == null ? "" : String.format(", telemetry at %.1f Hz", telemetryHz));
            new WsVideoSender(videoLink, video, chunk, sendConfig, stats).run();
            stop.stop();
            join(telemetry);
            stats.report(stream);
            return videoLink.gaveUp().isPresent() ? 1 : 0; // the link said why
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            LOG.errorf("drone-sim stopped: %s", e.getMessage());
            return 1;
        } finally {
            stop.stop();
            timer.shutdownNow();
        }
    }

    private VideoSource openVideo() throws IOException {
        if (file != null) {
            return VideoSource.file(file, fps, RAW_DEFAULT_FPS, loop, stop);
        }
        double rate = fps != null ? fps : RAW_DEFAULT_FPS;
        int clipFrames = (int) Math.max(1, Math.round(clipSeconds * rate));
        return VideoSource.synthetic(new VideoFormat(VideoCodec.H264, width, height, rate), gop, clipFrames, loop, stop);
    }

    private WsLink link(HttpClient http, URI base, String kind, ScheduledExecutorService timer) {
        // appended, not resolved, so that a base behind a proxy path prefix keeps its prefix
        URI uri = URI.create(base.toString().replaceAll("/+$", "") + "/ws/" + kind + "/" + stream);
        WsLink link = new WsLink(http, uri, kind + " " + stream, timer, new Backoff(BACKOFF_INITIAL, BACKOFF_MAX), SEND_TIMEOUT,
                stats::connectFailed, login(), "--user and --password, or FLEET_PUBLISH_USER and FLEET_PUBLISH_PASSWORD");
        stop.onStop(link::close);
        link.start();
        return link;
    }

    /** The publish credentials of the options or environment, presented on every connection; else those in --server. */
    private Optional<UrlCredentials.Login> login() {
        return user == null || user.isBlank() ? Optional.empty() : Optional.of(new UrlCredentials.Login(user, password));
    }

    private Thread startTelemetry(WsLink link) {
        Pacer pacer = new Pacer(telemetryHz, VideoSource.MAX_LAG_NANOS, stop);
        WsTelemetrySender sender = new WsTelemetrySender(link, new TelemetryGenerator(System.currentTimeMillis()), pacer, stats);
        Thread thread = DaemonThreads.thread("drone-sim-telemetry", sender::run);
        thread.start();
        return thread;
    }

    private void join(Thread thread) {
        if (thread == null) {
            return;
        }
        try {
            thread.join(STOP_GRACE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stopAndWait() {
        stop.stop();
        try {
            if (!finished.await(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("drone-sim did not stop in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String describeSource() {
        return file != null ? "file " + file : "synthetic " + width + "x" + height + " scene";
    }

    private URI validate() {
        if (file != null && synthetic) {
            throw usage("--file and --synthetic exclude each other");
        }
        if (file != null && !Files.isReadable(file)) {
            throw usage("--file " + file + ": no such readable file");
        }
        if (!STREAM_ID.matcher(stream).matches()) {
            throw usage("--stream '" + stream + "': use 1-64 of [A-Za-z0-9_.-]");
        }
        if (fps != null && !(fps > 0 && fps <= 240)) {
            throw usage("--fps must be in (0, 240], got " + fps);
        }
        if (file == null && (width < 32 || height < 32 || width % 2 != 0 || height % 2 != 0 || width > 7680 || height > 4320)) {
            throw usage("--width/--height must be even, at least 32 and at most 7680x4320, got " + width + "x" + height);
        }
        if (gop < 1) {
            throw usage("--gop must be at least 1, got " + gop);
        }
        if (!(clipSeconds > 0)) {
            throw usage("--clip-seconds must be positive, got " + clipSeconds);
        }
        if (duration < 0 || telemetryHz < 0 || telemetryHz > 1000 || chunk < 0) {
            throw usage("--duration, --chunk must not be negative and --telemetry-hz must be in [0, 1000]");
        }
        try {
            URI uri = new URI(server);
            if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme()) || uri.getHost() == null) {
                throw usage("--server must be a ws:// or wss:// URL with a host, got " + UrlCredentials.redact(server));
            }
            return uri;
        } catch (URISyntaxException e) {
            throw usage("--server " + UrlCredentials.redact(server) + ": " + UrlCredentials.redact(e.getMessage()));
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
