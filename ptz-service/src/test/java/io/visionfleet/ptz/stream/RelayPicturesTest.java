package io.visionfleet.ptz.stream;

import io.visionfleet.common.messages.TrackedObject;
import io.visionfleet.common.rtsp.ConsumerSettings;
import io.visionfleet.sim.scene.FrameTruth;
import io.visionfleet.common.testing.RelayProcess;
import io.visionfleet.ptz.Masks;
import io.visionfleet.ptz.TestConfigs;
import io.visionfleet.ptz.appearance.ColourHistogram;
import io.visionfleet.ptz.appearance.MaskAppearance;
import io.visionfleet.ptz.appearance.PictureRing;
import io.visionfleet.ptz.appearance.RelayPictures;
import io.visionfleet.ptz.config.PtzConfig;
import io.visionfleet.ptz.driver.PtzStatus;
import io.visionfleet.ptz.sim.SimWorld;
import io.visionfleet.ptz.sim.SimulatedFeed;
import io.visionfleet.ptz.sim.Simulators;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The relay feeder of the picture rings, for real: a simulated camera publishes into the real relay (ingest-server
 * child process), {@link PtzConsumer} decodes the stream and fills a ring, and the simulator's own rendering fills
 * another. The decoded pictures carry capture times from the relay's RTCP within a few ms of the sender's (inside the
 * ring's 40 ms tolerance, so results find them either way), and the runner's colours from the decoded H.264 match
 * those from the rendering. The same holds for an H.265 stream of the camera's view ({@link H265ClipFeed}).
 */
@Tag("integration")
class RelayPicturesTest {
    private static final int HTTP = 18443;
    private static final int RTSP = 18444;
    private static final String STREAM = "ptz-pictures";
    private static final String HEVC_STREAM = "ptz-pictures-hevc";
    private static final URI INGEST = URI.create("ws://127.0.0.1:" + HTTP);

    /** A rendered frame's capture time and ground truth. */
    private record Shot(long captureTs, FrameTruth truth) {
    }

    private static RelayProcess relay;
    private static ScheduledExecutorService timer;

    @BeforeAll
    static void startRelay() {
        relay = RelayProcess.start(HTTP, RTSP);
        timer = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void stopRelay() {
        timer.shutdownNow();
        relay.close();
    }

    /** Starts a camera's feed into the relay, telling {@code listener} of every picture it renders; closing stops it. */
    @FunctionalInterface
    private interface FeedStarter {
        AutoCloseable start(Consumer<SimulatedFeed.Rendered> listener) throws Exception;
    }

    @Test
    void decodedPicturesCarryTheSendersCaptureTimesAndColours() throws Exception {
        PtzConfig.Camera camera = camera(STREAM);
        SimulatedFeed feed = new SimulatedFeed(STREAM, Simulators.world(camera), Simulators.motors(camera, System::nanoTime),
                camera.simulator().fps(), INGEST, System.nanoTime(), HttpClient.newHttpClient(), timer);
        assertRelayedPictures(STREAM, camera, "H.264", listener -> {
            feed.addListener(listener);
            feed.start();
            return feed;
        });
    }

    /** The same in H.265: a clip of the camera's view encoded by libx265, sent over the WebSocket in real time. */
    @Test
    void anH265StreamIsDecodedWithTheSendersCaptureTimesAndColours(@TempDir Path dir) throws Exception {
        PtzConfig.Camera camera = camera(HEVC_STREAM);
        PtzStatus home = Simulators.motors(camera, System::nanoTime).status();
        int fps = (int) camera.simulator().fps();
        assertRelayedPictures(HEVC_STREAM, camera, "H.265", listener -> H265ClipFeed.start(HEVC_STREAM,
                Simulators.world(camera), home, fps, 3 * fps, dir, INGEST, HttpClient.newHttpClient(), timer, listener));
    }

    /**
     * Feeds {@code stream} into the relay, decodes it with {@link PtzConsumer} into one ring while the rendered pictures
     * fill another, and compares the two: capture times within half a frame period, and the runner's colours.
     */
    private static void assertRelayedPictures(String stream, PtzConfig.Camera camera, String codec, FeedStarter starter)
            throws Exception {
        PictureRing rendered = PictureRing.of(camera.appearance());
        PictureRing decoded = new PictureRing(64, Duration.ofMillis(40), 160);
        RelayPictures pictures = new RelayPictures();
        pictures.register(stream, decoded);
        List<Shot> frames = new CopyOnWriteArrayList<>();
        AutoCloseable feed = starter.start(r -> {
            rendered.put(r.captureTs(), r.bgr(), r.truth().width(), r.truth().height());
            frames.add(new Shot(r.captureTs(), r.truth()));
        });
        try (feed; PtzConsumer consumer = new PtzConsumer(new ConsumerSettings(relay.rtspBase(), Duration.ofSeconds(2), 0), pictures)) {
            consumer.follow(stream);
            // frames whose picture came back through the relay within half a frame period of the time it was sent with
            await().atMost(Duration.ofSeconds(30)).until(() -> matched(frames, decoded).size() >= 20);
            feed.close(); // the rings stop turning over, so what was matched stays in them
            List<Shot> matched = matched(frames, decoded);
            long[] offsets = matched.stream().mapToLong(r -> decoded.nearest(r.captureTs()).captureTs() - r.captureTs())
                    .sorted().toArray();
            MaskAppearance fromRelay = new MaskAppearance(decoded);
            MaskAppearance fromRendering = new MaskAppearance(rendered);
            int compared = 0;
            double lowest = 1;
            for (Shot r : matched) {
                var runner = r.truth().object(SimWorld.RUNNER).filter(o -> o.area() > 400);
                if (runner.isEmpty() || rendered.nearest(r.captureTs()) == null) {
                    continue;
                }
                TrackedObject o = new TrackedObject(1, "person", 1, runner.get().bbox(), runner.get().area(),
                        Masks.rle(r.truth(), SimWorld.RUNNER), null);
                float[] relayed = fromRelay.histogram(r.captureTs(), o, 640, 360);
                float[] original = fromRendering.histogram(r.captureTs(), o, 640, 360);
                if (relayed == null || original == null) {
                    continue; // a picture decoded after the feed stopped pushed this one out of the ring
                }
                double s = ColourHistogram.similarity(relayed, original);
                assertThat(s).as("the runner's colours through %s and the relay", codec).isGreaterThan(0.8);
                compared++;
                lowest = Math.min(lowest, s);
            }
            System.out.printf("%s: %d of %d rendered frames found by capture time in the decoded ring (offset median %d ms,"
                    + " range %d..%d ms); runner's colours decoded vs rendered: lowest similarity %.3f of %d%n", codec,
                    matched.size(), frames.size(), offsets[offsets.length / 2], offsets[0], offsets[offsets.length - 1],
                    lowest, compared);
            assertThat(compared).as("frames compared").isGreaterThanOrEqualTo(10);
        }
    }

    private static PtzConfig.Camera camera(String stream) {
        return TestConfigs.ptz(Map.of("cameras.c.stream", stream, "cameras.c.home-pan", "-45")).cameras().get("c");
    }

    /** The frames whose decoded picture is in the ring, less than half a frame period (33 ms) off. */
    private static List<Shot> matched(List<Shot> frames, PictureRing ring) {
        return frames.stream().filter(r -> {
            PictureRing.Picture p = ring.nearest(r.captureTs());
            return p != null && Math.abs(p.captureTs() - r.captureTs()) < 33;
        }).toList();
    }
}
