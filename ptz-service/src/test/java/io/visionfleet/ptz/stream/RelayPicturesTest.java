package io.visionfleet.ptz.stream;

import io.visionfleet.common.consumer.ConsumerSettings;
import io.visionfleet.common.messages.TrackedObject;
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
import io.visionfleet.sim.scene.FrameTruth;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
    /** Pictures each ring keeps: 17 s at 15 fps. */
    private static final int RING = 256;
    /** Frames showing the runner whose colours are compared. */
    private static final int COMPARED = 10;

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
        assertRelayedPictures(STREAM, "H.264", listener -> {
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
        assertRelayedPictures(HEVC_STREAM, "H.265", listener -> H265ClipFeed.start(HEVC_STREAM,
                Simulators.world(camera), home, fps, 3 * fps, dir, INGEST, HttpClient.newHttpClient(), timer, listener));
    }

    /**
     * Feeds {@code stream} into the relay, decodes it with {@link PtzConsumer} into one ring while the rendered pictures
     * fill another, and compares the two as pictures come back: capture times within half a frame period, and the
     * runner's colours. The rings hold {@value #RING} pictures, so a picture decoded late is compared all the same.
     */
    private static void assertRelayedPictures(String stream, String codec, FeedStarter starter) throws Exception {
        PictureRing rendered = new PictureRing(RING, Duration.ofMillis(40), 160);
        PictureRing decoded = new PictureRing(RING, Duration.ofMillis(40), 160);
        RelayPictures pictures = new RelayPictures();
        pictures.register(stream, decoded);
        List<Shot> frames = new CopyOnWriteArrayList<>();
        AutoCloseable feed = starter.start(r -> {
            rendered.put(r.captureTs(), r.bgr(), r.truth().width(), r.truth().height());
            frames.add(new Shot(r.captureTs(), r.truth()));
        });
        Map<Long, Double> similarity = new ConcurrentHashMap<>();
        List<Long> offsets = new CopyOnWriteArrayList<>();
        Set<Long> examined = ConcurrentHashMap.newKeySet();
        MaskAppearance fromRelay = new MaskAppearance(decoded);
        MaskAppearance fromRendering = new MaskAppearance(rendered);
        try (feed; PtzConsumer consumer = new PtzConsumer(new ConsumerSettings(relay.rtspBase(), Duration.ofSeconds(2), 0), pictures)) {
            consumer.follow(stream);
            // each rendered frame whose picture came back through the relay with the time it was sent with (within half
            // a frame period) and shows the runner: its colours decoded vs rendered
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (Shot r : matched(frames, decoded)) {
                    if (examined.add(r.captureTs())) {
                        offsets.add(decoded.nearest(r.captureTs()).captureTs() - r.captureTs());
                        compare(r, fromRelay, fromRendering).ifPresent(s -> similarity.put(r.captureTs(), s));
                    }
                }
                return similarity.size() >= COMPARED;
            });
        }
        long[] sorted = offsets.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("%s: %d of %d rendered frames found by capture time in the decoded ring (offset median %d ms,"
                + " range %d..%d ms); runner's colours decoded vs rendered: lowest similarity %.3f of %d%n", codec,
                sorted.length, frames.size(), sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1],
                similarity.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow(), similarity.size());
        assertThat(similarity).as("the runner's colours through %s and the relay", codec)
                .allSatisfy((ts, s) -> assertThat(s).isGreaterThan(0.8));
    }

    /** The runner's colour similarity in the decoded and the rendered picture of {@code r}, when it shows enough of it. */
    private static Optional<Double> compare(Shot r, MaskAppearance fromRelay, MaskAppearance fromRendering) {
        var runner = r.truth().object(SimWorld.RUNNER).filter(o -> o.area() > 400);
        if (runner.isEmpty()) {
            return Optional.empty();
        }
        TrackedObject o = new TrackedObject(1, "person", 1, runner.get().bbox(), runner.get().area(),
                Masks.rle(r.truth(), SimWorld.RUNNER), null);
        float[] relayed = fromRelay.histogram(r.captureTs(), o, 640, 360);
        float[] original = fromRendering.histogram(r.captureTs(), o, 640, 360);
        assertThat(relayed).as("decoded picture of a matched frame").isNotNull();
        assertThat(original).as("rendered picture of a matched frame").isNotNull();
        return Optional.of(ColourHistogram.similarity(relayed, original));
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
