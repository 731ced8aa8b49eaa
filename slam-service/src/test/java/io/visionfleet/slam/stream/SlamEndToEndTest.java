package io.visionfleet.slam.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.consumer.ConsumerSettings;
import io.visionfleet.common.consumer.FrameMeta;
import io.visionfleet.common.consumer.PacketConsumer;
import io.visionfleet.common.consumer.StreamSession;
import io.visionfleet.common.consumer.StreamState;
import io.visionfleet.common.testing.Broker;
import io.visionfleet.common.testing.BrokerResource;
import io.visionfleet.common.testing.Ffprobe;
import io.visionfleet.sim.camera.CameraPath;
import io.visionfleet.slam.eval.Alignment;
import io.visionfleet.slam.eval.StampedPose;
import io.visionfleet.slam.eval.TumTrajectory;
import jakarta.inject.Inject;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

/**
 * The synthetic sequence relayed by the real ingest-server and pulled over RTSP by slam-service: poses arrive on
 * the real broker with the capture time the relay assigned (a second reader of the same stream receives the same
 * capture times), and trajectory, map, keyframes and the final files are produced. GPS telemetry made from the ground
 * truth, as if the scene were {@link #WORLD_SCALE} times larger, gives the poses their metric scale.
 */
@QuarkusTest
@WithTestResource(BrokerResource.class)
@WithTestResource(RelayWithSyntheticSequence.class)
@Tag("integration")
class SlamEndToEndTest {
    private static final String STREAM = RelayWithSyntheticSequence.STREAM;
    private static final double WORLD_SCALE = 50;
    private static final double METRES_PER_DEG_LAT = 111_195.08;

    @Inject
    SlamConsumer consumer;

    /**
     * A second reader of the stream doing nothing but remember the capture time of every picture it receives, as
     * every reader computes them (frame-processor decodes; storage-service, like this one, takes access units). It
     * takes every access unit in order, so between two pictures it received a frame period apart there was no other.
     */
    static final class CaptureTimes extends PacketConsumer<StreamSession> {
        /** More than this between two received pictures: the relay skipped some for this reader (it fell behind). */
        private static final long GAP_MS = 50;
        final NavigableSet<Long> received = new ConcurrentSkipListSet<>();

        CaptureTimes(String relayUrl) {
            super(new ConsumerSettings(relayUrl, Duration.ofSeconds(2), 0));
        }

        @Override
        protected StreamSession openSession(StreamState stream) {
            return StreamSession.NONE;
        }

        @Override
        protected void onPacket(StreamSession session, FrameMeta meta, AVPacket packet) {
            received.add(meta.captureTs());
        }

        /** Whether {@code captureTs} falls where this reader received every picture, so it must have received it. */
        boolean covers(long captureTs) {
            Long before = received.floor(captureTs);
            Long after = received.ceiling(captureTs);
            return before != null && after != null && after - before <= GAP_MS;
        }
    }

    @Test
    void posesOfTheRelayedSequenceArriveWithTheRelaysCaptureTimesAndAreExported() throws Exception {
        Path mp4 = RelayWithSyntheticSequence.mp4();
        double captureOffsetS = Double.NaN; // capture time minus presentation time, seconds
        List<JsonNode> results = new ArrayList<>();
        try (Broker.Tap tap = Broker.get().tap(Exchanges.SLAM_RESULTS);
             Broker.Tap telemetry = Broker.get().tap(Exchanges.IMU_DATA);
             CaptureTimes reader = new CaptureTimes(RelayWithSyntheticSequence.relay.rtspBase())) {
            RelayWithSyntheticSequence.relay.addFileSource(STREAM, mp4);
            // what the stream's announcement on stream_events_exchange does (this test does not follow events): the
            // service retries at once instead of finishing a back-off that grew while the sequence was rendered
            consumer.follow(STREAM);
            reader.follow(STREAM);

            // the first pose gives the relay's capture clock: GPS fixes for the whole sequence on it, in time order
            collect(tap, STREAM, results, r -> !r.isEmpty());
            JsonNode first = results.get(0);
            captureOffsetS = first.get("capture_ts").asDouble() / 1000 - first.get("timestamp").asDouble();
            publishGps(telemetry, captureOffsetS);
            // on until the GPS scale is known (8 keyframes: about half the sequence, however many frames were tracked)
            collect(tap, STREAM, results, r -> r.stream().anyMatch(p -> p.has("scale")));
            JsonNode metric = results.stream().filter(r -> r.has("scale")).findFirst().orElseThrow();
            assertThat(metric.get("scale_source").asText()).isEqualTo("gps");
            assertThat(metric.get("scale").asDouble()).isPositive();
            assertPosesAndCaptureTimes(STREAM, results, reader);
        }

        String tum = given().get("/streams/" + STREAM + "/trajectory").then().statusCode(200)
                .body(containsString("# stream " + STREAM + " map segment 0")).extract().asString();
        List<StampedPose> poses = TumTrajectory.parse(tum);
        assertThat(poses.stream().map(p -> Math.round(p.timestamp() * 1000)).toList()).as("the trajectory's poses")
                .containsAll(results.stream().filter(r -> r.has("pose") && r.get("map_segment").asInt() == 0)
                        .map(r -> r.get("capture_ts").asLong()).toList());
        given().get("/streams/" + STREAM + "/map.ply").then().statusCode(200)
                .body(containsString("element vertex")).body(containsString("property int segment"));
        given().get("/streams/" + STREAM + "/slam").then().statusCode(200)
                .body("stream_id", equalTo(STREAM))
                .body("intrinsics[0]", equalTo((float) RelayWithSyntheticSequence.SEQUENCE.camera().fx()))
                .body("segments[0].landmarks", greaterThan(50))
                .body("segments[0].gps_scale.pairs", greaterThan(7));
        // the fitted scale against the one the ground truth gives the published trajectory
        double fitted = given().get("/streams/" + STREAM + "/slam").then().extract().jsonPath()
                .getDouble("segments[0].gps_scale.scale");
        List<double[]> estimated = new ArrayList<>();
        List<double[]> truth = new ArrayList<>();
        for (StampedPose p : poses) {
            estimated.add(p.pose().t());
            truth.add(times(RelayWithSyntheticSequence.SEQUENCE.path().at(p.timestamp() - captureOffsetS).t(), WORLD_SCALE));
        }
        double trueScale = Alignment.umeyama(estimated, truth, true).scale();
        System.out.printf("end to end: GPS scale %.3f m/unit, ground truth %.3f (%.2f %%)%n", fitted, trueScale,
                100 * (fitted / trueScale - 1));
        assertThat(fitted / trueScale).isBetween(0.9, 1.1);
        given().get("/streams/nosuch/trajectory").then().statusCode(404)
                .body("message", containsString("nosuch"));
        given().get("/streams/" + STREAM + "/trajectory?segment=7").then().statusCode(404)
                .body("message", containsString("segment 7"));

        Path out = Path.of("target", "slam-e2e", STREAM);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.isRegularFile(out.resolve("keyframes.txt")));
        String firstKeyframe = Files.readAllLines(out.resolve("keyframes.txt")).get(1).split(" ")[0];
        assertThat(out.resolve("keyframes").resolve(firstKeyframe + ".jpg")).isNotEmptyFile();

        // unfollowing the stream (as shutdown does) closes its pipeline: the final trajectory and map are written,
        // the tracker and its map are released, and the API no longer lists the stream
        StreamSlam slam = consumer.session(STREAM).orElseThrow();
        assertThat(slam.clouds()).isNotEmpty();
        long unfollowedAtMs = System.currentTimeMillis();
        consumer.unfollow(STREAM);
        await().atMost(Duration.ofSeconds(10)).until(() -> slam.clouds().isEmpty());
        Path session;
        try (var dirs = Files.list(out)) {
            session = dirs.filter(d -> d.getFileName().toString().startsWith("session-")).max(Path::compareTo).orElseThrow();
        }
        assertThat(Files.getLastModifiedTime(session.resolve("map.ply")).toMillis()).as("map written on close")
                .isGreaterThanOrEqualTo(unfollowedAtMs - 1000);
        assertThat(TumTrajectory.read(session.resolve("trajectory-0.tum")).size()).isGreaterThanOrEqualTo(poses.size());
        assertThat(TumTrajectory.read(session.resolve("keyframes-0.tum"))).isNotEmpty();
        assertThat(slam.status().segments()).isEmpty();
        assertThat(consumer.session(STREAM)).isEmpty();
        given().get("/streams/" + STREAM + "/slam").then().statusCode(404);
    }

    /**
     * The same sequence encoded by libx265 and relayed as H.265: slam-service decodes it through the same consumer
     * and tracks it, and its poses carry the capture times a second reader of the stream receives.
     */
    @Test
    void anH265StreamIsTrackedWithTheRelaysCaptureTimes() throws Exception {
        String stream = RelayWithSyntheticSequence.HEVC_STREAM;
        Path hevc = RelayWithSyntheticSequence.hevcMp4();
        assertThat(Ffprobe.probe(hevc).codec()).isEqualTo("hevc");
        List<JsonNode> results = new ArrayList<>();
        try (Broker.Tap tap = Broker.get().tap(Exchanges.SLAM_RESULTS);
             CaptureTimes reader = new CaptureTimes(RelayWithSyntheticSequence.relay.rtspBase())) {
            RelayWithSyntheticSequence.relay.addFileSource(stream, hevc);
            consumer.follow(stream);
            reader.follow(stream);
            // 3 s of the stream tracked, however many of its pictures that took
            collect(tap, stream, results, r -> trackedSpanMs(r) >= 3000);
            assertPosesAndCaptureTimes(stream, results, reader);
            given().get("/streams/" + stream + "/slam").then().statusCode(200)
                    .body("frames_tracked", greaterThanOrEqualTo((int) tracked(results)))
                    .body("intrinsics[0]", equalTo((float) RelayWithSyntheticSequence.SEQUENCE.camera().fx()))
                    .body("segments[0].landmarks", greaterThan(50));
        } finally {
            consumer.unfollow(stream);
            RelayWithSyntheticSequence.relay.removeSource(stream);
        }
    }

    /** Adds {@code stream}'s results from the tap to {@code results} until {@code done} holds, within 60 s. */
    private static void collect(Broker.Tap tap, String stream, List<JsonNode> results, Predicate<List<JsonNode>> done)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.test(results)) {
            assertThat(System.nanoTime()).as("results of %s within 60 s", stream).isLessThan(deadline);
            results.add(tap.poll(Duration.ofSeconds(20), m -> m.path("stream_id").asText().equals(stream)));
        }
    }

    private static long tracked(List<JsonNode> results) {
        return results.stream().filter(SlamEndToEndTest::tracking).count();
    }

    /** Capture time from the first tracked result to the last, ms. */
    private static long trackedSpanMs(List<JsonNode> results) {
        long[] ts = results.stream().filter(SlamEndToEndTest::tracking).mapToLong(r -> r.get("capture_ts").asLong()).toArray();
        return ts.length == 0 ? 0 : ts[ts.length - 1] - ts[0];
    }

    private static boolean tracking(JsonNode result) {
        return result.get("tracking_state").asText().equals("tracking");
    }

    /**
     * The results start initialising without a pose and then track with poses, and their capture times are the join
     * key: in order, none twice, and each one that falls where the second reader received every picture is one it
     * received. How many of the stream's pictures slam-service publishes is up to the machine: it takes the newest
     * decoded picture whenever the tracker is free and drops those that arrived meanwhile (latest-frame-wins, as
     * every decoded-mode service does), and it joins with a burst of the relay's cached pictures, of which it keeps
     * the newest. That share is printed, not held to a bar.
     */
    private static void assertPosesAndCaptureTimes(String stream, List<JsonNode> results, CaptureTimes reader) {
        assertThat(results.get(0).get("tracking_state").asText()).isEqualTo("initializing");
        assertThat(results.get(0).has("pose")).as("no pose before initialisation").isFalse();
        List<JsonNode> tracked = results.stream().filter(SlamEndToEndTest::tracking).toList();
        assertThat(tracked).isNotEmpty().allSatisfy(r -> {
            assertThat(r.get("schema").asText()).isEqualTo("slam_result/1");
            assertThat(r.get("pose")).hasSize(16);
            assertThat(r.get("pose").get(15).asDouble()).isEqualTo(1.0);
            assertThat(r.get("processing_ms").asDouble()).isPositive();
        });
        assertThat(tracked.get(0).get("map_segment").asInt()).as("the first map").isZero();
        assertThat(tracked.get(tracked.size() - 1).get("num_inliers").asInt()).as("inliers of the last pose").isGreaterThan(40);
        assertThat(results).anySatisfy(r -> assertThat(r.get("is_keyframe").asBoolean()).isTrue());

        List<Long> captureTimes = results.stream().map(r -> r.get("capture_ts").asLong()).toList();
        assertThat(captureTimes).doesNotHaveDuplicates().isSorted();
        long last = captureTimes.get(captureTimes.size() - 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> !reader.received.isEmpty() && reader.received.last() >= last);
        List<Long> checked = captureTimes.stream().filter(reader::covers).toList();
        assertThat(checked).as("SLAM capture times where the second reader received every picture").isNotEmpty();
        assertThat(checked).as("of those, capture times the second reader did not receive")
                .filteredOn(ts -> !reader.received.contains(ts)).isEmpty();

        long from = Math.max(captureTimes.get(0), reader.received.first());
        long published = captureTimes.stream().filter(ts -> ts >= from).count();
        int pictures = reader.received.subSet(from, true, last, true).size();
        int[] inliers = tracked.stream().mapToInt(r -> r.get("num_inliers").asInt()).sorted().toArray();
        System.out.printf(Locale.ROOT, "%s: published %d of the %d pictures the relay sent over the same span (%.0f %%),"
                        + " %d of them checked against the second reader's; %d results in all, %d tracking (inliers"
                        + " median %d, lowest %d)%n", stream, published, pictures, 100.0 * published / pictures,
                checked.size(), results.size(), tracked.size(), inliers[inliers.length / 2], inliers[0]);
    }

    /** 10 Hz GPS fixes along the ground-truth path (1 s beyond each end), on the relay's capture clock. */
    private static void publishGps(Broker.Tap telemetry, double captureOffsetS) throws IOException {
        CameraPath path = RelayWithSyntheticSequence.SEQUENCE.path();
        double lat0 = 48.1374;
        for (int i = -10; i <= path.duration() * 10 + 10; i++) {
            double t = i / 10.0;
            double[] c = times(path.at(Math.max(0, Math.min(path.duration(), t))).t(), WORLD_SCALE);
            long captureTs = Math.round((t + captureOffsetS) * 1000);
            String json = String.format(Locale.ROOT, "{\"schema\":\"telemetry/1\",\"stream_id\":\"%s\","
                            + "\"received_ts\":%d,\"capture_ts\":%d,\"data\":{\"timestamp\":%d,"
                            + "\"gps\":{\"lat\":%.9f,\"lon\":%.9f,\"alt\":%.3f}}}", STREAM, captureTs, captureTs, captureTs,
                    lat0 + c[1] / METRES_PER_DEG_LAT,
                    11.5755 + c[0] / (METRES_PER_DEG_LAT * Math.cos(Math.toRadians(lat0))), 52 + c[2]);
            telemetry.publishRaw(Exchanges.IMU_DATA, STREAM, json.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static double[] times(double[] v, double s) {
        return new double[]{v[0] * s, v[1] * s, v[2] * s};
    }
}
