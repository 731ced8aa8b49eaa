package io.visionfleet.dronesim;

import com.fasterxml.jackson.databind.JsonNode;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.common.h264.VideoCodec;
import io.visionfleet.common.testing.Ffprobe;
import io.visionfleet.common.testing.RelayProcess;
import io.visionfleet.common.testing.SystemFfmpeg;
import io.visionfleet.sim.publish.AnnexBSender;
import io.visionfleet.sim.scene.SyntheticVideo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The command against a real WebSocket server on a local port: what arrives, when, and after failures. */
@Tag("integration")
class DroneSimStreamingTest {
    private static final int WIDTH = 160;
    private static final int HEIGHT = 96;
    private static final int FPS = 30;
    private static final int GOP = 15;
    private static final int FRAMES = 60;

    @TempDir
    static Path dir;
    static Path h264;
    static List<AccessUnit> source;
    static Path h265;
    static List<AccessUnit> h265Source;

    private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();

    @BeforeAll
    static void encodeSource() throws Exception {
        byte[] stream = SyntheticVideo.h264(WIDTH, HEIGHT, FPS, GOP, FRAMES);
        h264 = Files.write(dir.resolve("flight.h264"), stream);
        source = SyntheticVideo.accessUnits(stream);
        assertThat(source).hasSize(FRAMES);
        // libx265 (the system ffmpeg; JavaCV's has no H.265 encoder), two slices per picture
        h265 = SystemFfmpeg.x265(dir.resolve("flight.h265"), WIDTH, HEIGHT, FPS, GOP, FRAMES, 2);
        h265Source = SyntheticVideo.accessUnits(Files.readAllBytes(h265));
        assertThat(h265Source).hasSize(FRAMES);
    }

    @AfterEach
    void tearDown() throws Exception {
        while (!cleanup.isEmpty()) {
            cleanup.pop().close();
        }
    }

    @Test
    void aFileArrivesPictureForPictureNeverFasterThanItsFrameRate() throws Exception {
        RecordingWsServer server = server(RecordingWsServer.start(0));
        long launched = System.nanoTime();
        Run run = launch("--server", "ws://127.0.0.1:" + server.port(), "--stream", "cam1", "--file", h264.toString(),
                "--no-loop", "--fps", String.valueOf(FPS), "--telemetry-hz", "0");

        assertThat(run.exit.get(20, TimeUnit.SECONDS)).isZero();

        List<RecordingWsServer.Message> received = server.binary("/ws/video/cam1");
        assertThat(received).as("one message per picture").hasSize(FRAMES);
        AccessUnits.assertSame(AccessUnits.reassemble(received), source);
        // the pacer holds picture n back until n frame intervals after the first: a lower bound, which is the pacing;
        // how much later a loaded machine sends and delivers it is not, and is printed
        long paced = (FRAMES - 1) * 1_000_000_000L / FPS;
        assertThat(received.get(FRAMES - 1).arrivalNanos() - launched).as("ns from the launch to the last picture")
                .isGreaterThanOrEqualTo(paced);
        assertThat(run.command.stats().framesSent()).isEqualTo(FRAMES);

        List<RecordingWsServer.Message> all = server.messages("/ws/video/cam1");
        List<Long> captureTimes = new ArrayList<>();
        for (int i = 0; i < all.size(); i += 2) {
            JsonNode announced = Json.MAPPER.readTree(all.get(i).text());
            assertThat(announced.get("type").asText()).as("message %d", i).isEqualTo("access_unit");
            assertThat(all.get(i + 1).isBinary()).as("the picture follows its capture time").isTrue();
            captureTimes.add(announced.get("capture_ts").asLong());
        }
        assertThat(captureTimes).as("one capture time per picture, increasing").hasSize(FRAMES).isSorted().doesNotHaveDuplicates();
        long captureSpanMs = captureTimes.get(FRAMES - 1) - captureTimes.get(0);
        System.out.printf("%d pictures at %d fps: %d ms from the first capture time to the last, %d ms from the first"
                + " arrival to the last (paced: %d ms)%n", FRAMES, FPS, captureSpanMs,
                (received.get(FRAMES - 1).arrivalNanos() - received.get(0).arrivalNanos()) / 1_000_000, paced / 1_000_000);
        // capture times are whole milliseconds of the wall clock
        assertThat(captureSpanMs).as("capture times at the camera's pace").isGreaterThanOrEqualTo(paced / 1_000_000 - 1);
    }

    @Test
    void theFirstPicturesAreCapturedAndSentAtTheFrameRateNotInABurst() throws Exception {
        RecordingWsServer server = server(RecordingWsServer.start(0));
        Run run = launch("--server", "ws://127.0.0.1:" + server.port(), "--stream", "first", "--file", h264.toString(),
                "--no-loop", "--fps", String.valueOf(FPS), "--telemetry-hz", "0", "--send-config");

        assertThat(run.exit.get(20, TimeUnit.SECONDS)).isZero();

        int first = 6;
        List<RecordingWsServer.Message> pictures = server.binary("/ws/video/first").subList(0, first);
        List<Long> captureTimes = server.text("/ws/video/first").stream().skip(1).limit(first)
                .map(DroneSimStreamingTest::captureTs).toList();
        System.out.printf("first pictures: capture_ts %s, arrivals (ms after the first) %s%n", captureTimes,
                pictures.stream().map(m -> (m.arrivalNanos() - pictures.get(0).arrivalNanos()) / 1_000_000).toList());
        // each picture is stamped with its slot, one frame interval (33 or 34 ms) after the last; a burst would put
        // them a millisecond or two apart (when they arrive is the machine's: a late first delivery makes the next
        // ones look closer, so arrivals are only printed; a stall of over a second re-anchors, and only widens a gap)
        for (int i = 1; i < first; i++) {
            assertThat(captureTimes.get(i) - captureTimes.get(i - 1)).as("capture gap before picture %d", i)
                    .isGreaterThanOrEqualTo(1000 / FPS);
        }
    }

    @Test
    void chunkedSendsCutTheStreamAnywhereAndItReassemblesIdentically() throws Exception {
        RecordingWsServer server = server(RecordingWsServer.start(0));
        int chunk = 300;
        Run run = launch("--server", "ws://127.0.0.1:" + server.port(), "--stream", "cam2", "--file", h264.toString(),
                "--no-loop", "--fps", "60", "--telemetry-hz", "0", "--chunk", String.valueOf(chunk));

        assertThat(run.exit.get(20, TimeUnit.SECONDS)).isZero();

        List<RecordingWsServer.Message> received = server.binary("/ws/video/cam2");
        int total = received.stream().mapToInt(m -> m.binary().length).sum();
        int expected = source.stream().mapToInt(au -> AnnexBSender.annexB(au).length).sum();
        assertThat(total).isEqualTo(expected);
        assertThat(received).hasSizeGreaterThan(expected / chunk);
        assertThat(received).allSatisfy(m -> assertThat(m.binary().length).isBetween(1, chunk));
        assertThat(received).as("messages that start inside a NAL unit or a start code")
                .anySatisfy(m -> assertThat(startsWithStartCode(m.binary())).isFalse());
        AccessUnits.assertSame(AccessUnits.reassemble(received), source);
    }

    @Test
    void telemetryIsJsonWithTimestampsAtTheRequestedPeriodAndConfigComesFirst() throws Exception {
        RecordingWsServer server = server(RecordingWsServer.start(0));
        double hz = 40;
        Run run = launch("--server", "ws://127.0.0.1:" + server.port(), "--stream", "cam3", "--synthetic",
                "--width", "64", "--height", "64", "--gop", "10", "--clip-seconds", "1", "--telemetry-hz", "40",
                "--duration", "2.5", "--send-config");

        assertThat(run.exit.get(20, TimeUnit.SECONDS)).isZero();

        List<RecordingWsServer.Message> telemetry = server.text("/ws/telemetry/cam3");
        assertThat(telemetry).hasSizeGreaterThan(1);
        long previous = Long.MIN_VALUE / 2;
        List<Long> timestamps = new ArrayList<>();
        for (RecordingWsServer.Message m : telemetry) {
            JsonNode sample = Json.MAPPER.readTree(m.text());
            long ts = sample.get("timestamp").asLong();
            // stamped with its slot on the pacer's schedule, in whole milliseconds: never closer than the period
            assertThat(ts - previous).as("ms since the previous sample").isGreaterThanOrEqualTo((long) (1000 / hz) - 1);
            previous = ts;
            timestamps.add(ts);
            for (String field : List.of("/attitude/roll", "/attitude/pitch", "/attitude/yaw", "/gyro/z", "/accel/z",
                    "/gps/lat", "/gps/lon", "/gps/alt")) {
                assertThat(sample.at(field).isNumber()).as(field).isTrue();
            }
        }
        double rate = (timestamps.size() - 1) * 1000.0 / (timestamps.get(timestamps.size() - 1) - timestamps.get(0));

        List<RecordingWsServer.Message> video = server.messages("/ws/video/cam3");
        JsonNode config = Json.MAPPER.readTree(video.get(0).text());
        assertThat(config.get("type").asText()).isEqualTo("video_config");
        assertThat(config.get("width").asInt()).isEqualTo(64);
        assertThat(config.get("height").asInt()).isEqualTo(64);
        assertThat(config.get("fps").asDouble()).isEqualTo(30.0);
        assertThat(config.get("codec").asText()).isEqualTo("h264");
        List<AccessUnit> pictures = AccessUnits.reassemble(video.subList(1, video.size()));
        assertThat(pictures.get(0).isIdr()).isTrue();
        System.out.printf("2.5 s of a run: %d telemetry samples at %.1f Hz by their timestamps (asked %.0f), %d pictures"
                + " of 30 fps video%n", timestamps.size(), rate, hz, pictures.size());
    }

    @Test
    void aDroneStartedBeforeTheServerKeepsTryingAndStreamsFromTheFirstFrameOnceItAppears() throws Exception {
        int port = RecordingWsServer.freePort();
        Run run = launch("--server", "ws://127.0.0.1:" + port, "--stream", "late", "--file", h264.toString(),
                "--telemetry-hz", "0");
        await().atMost(Duration.ofSeconds(10)).until(() -> run.command.stats().connectFailures() >= 2);
        assertThat(run.exit).isNotDone();

        RecordingWsServer server = server(RecordingWsServer.start(port));
        await().atMost(Duration.ofSeconds(15)).until(() -> server.binary("/ws/video/late").size() >= FRAMES);

        List<AccessUnit> arrived = AccessUnits.reassemble(server.binary("/ws/video/late"));
        AccessUnits.assertSame(arrived.subList(0, FRAMES - 1), source.subList(0, FRAMES - 1));
        run.command.stop();
        assertThat(run.exit.get(5, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void afterTheServerDropsTheConnectionTheDroneReconnectsAndRestartsAtAnIdrWithParameterSets() throws Exception {
        RecordingWsServer server = server(RecordingWsServer.start(0, 7));
        Run run = launch("--server", "ws://127.0.0.1:" + server.port(), "--stream", "drop", "--file", h264.toString(),
                "--telemetry-hz", "0");

        await().atMost(Duration.ofSeconds(15)).until(() -> server.binary("/ws/video/drop").stream()
                .filter(m -> m.connection() == 1).count() >= 20);
        run.command.stop();
        assertThat(run.exit.get(5, TimeUnit.SECONDS)).isZero();

        List<RecordingWsServer.Message> second = server.binary("/ws/video/drop").stream()
                .filter(m -> m.connection() == 1).toList();
        List<AccessUnit> pictures = AccessUnits.reassemble(second);
        assertThat(pictures.get(0).isIdr()).isTrue();
        assertThat(pictures.get(0).nalUnits()).extracting(AccessUnit::nalType)
                .startsWith(AccessUnit.NAL_SPS, AccessUnit.NAL_PPS);
        // the camera kept running while disconnected: the session resumes at a later IDR of the file
        int resumedAt = indexOf(pictures.get(0));
        assertThat(resumedAt % GOP).isZero();
        AccessUnits.assertSame(pictures.subList(0, 10), loopedSource(resumedAt, 10));
    }

    @Test
    void aContainerFileIsRemuxedWithoutReencoding() throws Exception {
        Path mp4 = SyntheticVideo.mp4(dir.resolve("flight.mp4"), WIDTH, HEIGHT, FPS, GOP, FRAMES);
        RecordingWsServer server = server(RecordingWsServer.start(0));
        Run run = launch("--server", "ws://127.0.0.1:" + server.port(), "--stream", "mp4", "--file", mp4.toString(),
                "--no-loop", "--fps", "120", "--telemetry-hz", "0");

        assertThat(run.exit.get(20, TimeUnit.SECONDS)).isZero();

        List<AccessUnit> pictures = AccessUnits.reassemble(server.binary("/ws/video/mp4"));
        assertThat(pictures).hasSize(FRAMES);
        for (int i = 0; i < FRAMES; i++) {
            assertThat(pictures.get(i).isIdr()).as("frame %d is IDR", i).isEqualTo(i % GOP == 0);
            assertThat(slices(pictures.get(i))).as("frame %d", i).isEqualTo(slices(source.get(i)));
        }
    }

    /** An H.265 file, raw or in a container (remuxed from {@code hvcC}), is sent as it is, its codec declared. */
    @ParameterizedTest
    @ValueSource(strings = {"h265", "mp4", "mkv"})
    void anH265FileArrivesUnchangedWithItsCodecDeclared(String container) throws Exception {
        Path file = container.equals("h265") ? h265 : SystemFfmpeg.mp4(h265, true, FPS, dir.resolve("flight." + container));
        RecordingWsServer server = server(RecordingWsServer.start(0));
        Run run = launch("--server", "ws://127.0.0.1:" + server.port(), "--stream", container, "--file", file.toString(),
                "--no-loop", "--fps", "120", "--telemetry-hz", "0", "--send-config");

        assertThat(run.exit.get(20, TimeUnit.SECONDS)).isZero();

        JsonNode config = Json.MAPPER.readTree(server.text("/ws/video/" + container).get(0).text());
        assertThat(config.get("type").asText()).isEqualTo("video_config");
        assertThat(config.get("codec").asText()).isEqualTo("h265");
        assertThat(config.get("width").asInt()).isEqualTo(WIDTH);
        assertThat(config.get("height").asInt()).isEqualTo(HEIGHT);
        List<AccessUnit> pictures = AccessUnits.reassemble(server.binary("/ws/video/" + container));
        assertThat(pictures).hasSize(FRAMES).extracting(AccessUnit::codec).containsOnly(VideoCodec.H265);
        for (int i = 0; i < FRAMES; i++) {
            assertThat(pictures.get(i).isIdr()).as("frame %d is an IRAP", i).isEqualTo(i % GOP == 0);
            assertThat(slices(pictures.get(i))).as("frame %d", i).isEqualTo(slices(h265Source.get(i)));
        }
    }

    /** The real relay takes what drone-sim sends from an H.265 MP4 and serves it as H.265. */
    @Test
    void theRelayServesAnH265FileAsH265() throws Exception {
        RelayProcess relay = RelayProcess.start(18471, 18871);
        cleanup.push(relay);
        Path mp4 = SystemFfmpeg.mp4(h265, true, FPS, dir.resolve("relayed.mp4"));
        launch("--server", "ws://127.0.0.1:" + relay.httpPort(), "--stream", "hevc-drone", "--file", mp4.toString(),
                "--telemetry-hz", "0", "--send-config");

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            String status = relay.streamStatus("hevc-drone");
            return status != null && Json.MAPPER.readTree(status).path("has_parameter_sets").asBoolean();
        });
        assertThat(Ffprobe.rtspStream(relay.rtspUrl("hevc-drone"))).isEqualTo("hevc," + WIDTH + "," + HEIGHT);
        JsonNode status = Json.MAPPER.readTree(relay.streamStatus("hevc-drone"));
        assertThat(status.path("video_config").path("codec").asText()).isEqualTo("h265");
        assertThat(status.path("access_units_in").asLong()).isPositive();
    }

    @Test
    void badOptionsAreRefusedWithAUsageError() {
        assertThat(new CommandLine(new DroneSimCommand()).execute("--file", dir.resolve("missing.h264").toString())).isEqualTo(2);
        assertThat(new CommandLine(new DroneSimCommand()).execute("--stream", "no spaces")).isEqualTo(2);
        assertThat(new CommandLine(new DroneSimCommand()).execute("--server", "http://x:8080")).isEqualTo(2);
        assertThat(new CommandLine(new DroneSimCommand()).execute("--width", "33")).isEqualTo(2);
    }

    @Test
    void aFileWithoutPicturesEndsTheRunWithAnError() throws Exception {
        Path junk = Files.write(dir.resolve("junk.h264"), new byte[4096]);
        assertThat(new CommandLine(new DroneSimCommand()).execute("--file", junk.toString(), "--telemetry-hz", "0")).isEqualTo(1);
    }

    private record Run(DroneSimCommand command, CompletableFuture<Integer> exit) {
    }

    private Run launch(String... args) {
        DroneSimCommand command = new DroneSimCommand();
        CommandLine line = new CommandLine(command);
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread thread = new Thread(() -> exit.complete(line.execute(args)), "drone-sim-under-test");
        thread.start();
        cleanup.push(() -> {
            command.stop();
            exit.get(10, TimeUnit.SECONDS);
        });
        return new Run(command, exit);
    }

    private RecordingWsServer server(RecordingWsServer server) {
        cleanup.push(server);
        return server;
    }

    private static long captureTs(RecordingWsServer.Message accessUnit) {
        try {
            return Json.MAPPER.readTree(accessUnit.text()).get("capture_ts").asLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean startsWithStartCode(byte[] b) {
        return b.length >= 4 && b[0] == 0 && b[1] == 0 && (b[2] == 1 || b[2] == 0 && b[3] == 1);
    }

    private static int indexOf(AccessUnit picture) {
        for (int i = 0; i < source.size(); i++) {
            if (slices(source.get(i)).equals(slices(picture))) {
                return i;
            }
        }
        throw new AssertionError("picture not in the source");
    }

    private static List<AccessUnit> loopedSource(int from, int count) {
        List<AccessUnit> units = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            units.add(source.get((from + i) % source.size()));
        }
        return units;
    }

    /** The coded picture data: slice NAL units, as hex, independent of where parameter sets are placed. */
    private static List<String> slices(AccessUnit au) {
        return au.nalUnits().stream().filter(n -> au.codec().isSlice(au.codec().nalType(n)))
                .map(java.util.HexFormat.of()::formatHex).toList();
    }
}
