package io.visionfleet.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.messages.ProcessedFrame;
import io.visionfleet.common.messages.PtzCommand;
import io.visionfleet.common.messages.SlamResult;
import io.visionfleet.common.messages.TelemetrySample;
import io.visionfleet.common.messages.TrackedObject;
import io.visionfleet.common.testing.ArchiveQueues;
import io.visionfleet.common.testing.Broker;
import io.visionfleet.common.testing.BrokerResource;
import io.visionfleet.common.testing.Ffprobe;
import io.visionfleet.storage.archive.Archive;
import io.visionfleet.storage.archive.Gap;
import io.visionfleet.storage.archive.SegmentInfo;
import io.visionfleet.storage.archive.Session;
import io.visionfleet.storage.results.ResultKind;
import io.visionfleet.storage.support.ArchiveFiles;
import io.visionfleet.storage.support.Pictures;
import io.visionfleet.storage.support.RelayResource;
import io.visionfleet.storage.support.TestClips;
import jakarta.inject.Inject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

/**
 * storage-service recording a real relay (ingest-server as a child process looping a 320x240 25 fps H.264 clip with a
 * key frame every second; an H.265 one for one step) through the real broker, with 4 s segments. The steps share one recording and run in
 * order; the relay restart comes last because it interrupts it. Files are judged by FFmpeg: ffprobe decodes
 * them, and decoded pictures are matched to the source clip's by checksum.
 */
@QuarkusTest
@TestProfile(RecordingTest.Profile.class)
@WithTestResource(BrokerResource.class)
@WithTestResource(RelayResource.class)
@WithTestResource(RecordingTest.DeletedQueues.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("integration")
class RecordingTest {
    private static final String CAM = RelayResource.STREAM;
    private static final String CAM2 = "st-cam2";
    private static final String HEVC = "st-hevc";
    private static final Path ROOT = Path.of("target", "archive-recording");
    private static final String QUEUES = "storage-recording-test.";
    private static final int RECORDED_SEGMENTS = 7;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            ArchiveFiles.deleteTree(ROOT);
            return Map.of("fleet.storage.root", ROOT.toString(),
                    "fleet.storage.segment-length", "4s",
                    "fleet.storage.snapshot-interval", "2s",
                    "fleet.storage.results.enabled", "true",
                    "fleet.storage.results.queue-prefix", QUEUES,
                    "fleet.storage.results.flush-interval", "100ms",
                    "fleet.storage.results.orphan-sweep", "1s");
        }
    }

    @Inject
    Archive archive;

    /** Deletes the archive's queues once the application has stopped: while it runs, it declares them again. */
    public static class DeletedQueues implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            return Map.of();
        }

        @Override
        public void stop() {
            try {
                ArchiveQueues.delete(Broker.get(), QUEUES, CAM, CAM2, HEVC);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    @Order(1)
    void thirtySecondsRecordIntoContiguousSegmentsHoldingEveryPictureSentInOrder() throws Exception {
        List<SegmentInfo> segments = await().atMost(Duration.ofSeconds(75)).pollInterval(Duration.ofSeconds(1))
                .until(() -> closed(CAM), s -> s.size() >= RECORDED_SEGMENTS).subList(0, RECORDED_SEGMENTS);

        Map<String, Integer> source = Pictures.index(TestClips.clip());
        List<Integer> pictures = new ArrayList<>();
        for (SegmentInfo segment : segments) {
            Path file = ROOT.resolve(segment.path());
            Ffprobe.Probe probe = Ffprobe.probe(file);
            long wallMs = segment.endTs() - segment.startTs();
            assertThat(probe.errors()).as("ffprobe errors on %s", file).isEmpty();
            assertThat(probe.startsOnKey()).as("%s starts on a key frame", file).isTrue();
            assertThat(probe.decodedFrames()).as("pictures decoded from %s", file).isEqualTo(segment.frames());
            assertThat((double) probe.durationMs()).as("duration of %s", file).isCloseTo(wallMs, withinPercentage(2));
            assertThat(segment.frames()).as("frames of %s against its wall time", file)
                    .isCloseTo(wallMs / TestClips.FRAME_MS, within(1L));
            assertThat(segment.sizeBytes()).isEqualTo(Files.size(file));
            pictures.addAll(sourcePictures(file, source));
        }
        for (int i = 1; i < segments.size(); i++) {
            assertThat(segments.get(i).startTs()).as("segment %d starts where %d ended", i, i - 1)
                    .isEqualTo(segments.get(i - 1).endTs());
            assertThat(segments.get(i).closeReason()).isEqualTo(SegmentInfo.LENGTH);
        }
        assertLoopOfSource(pictures, TestClips.FRAMES);
        assertThat(pictures).hasSize((int) segments.stream().mapToLong(SegmentInfo::frames).sum());
        assertThat(segments.get(segments.size() - 1).endTs() - segments.get(0).startTs()).isGreaterThanOrEqualTo(28_000);
    }

    @Test
    @Order(2)
    void sessionMetadataListsSnapshotsAndTheSegmentIndexAndTheLatestSnapshotIsServed() throws Exception {
        Session session = archive.index().sessions(CAM).get(0);
        JsonNode doc = Json.MAPPER.readTree(archive.layout().metadata(CAM, session.startTs()).toFile());
        assertThat(doc.get("session_id").asText()).isEqualTo(CAM + "-" + session.startTs());
        assertThat(doc.get("start_time").asText()).isEqualTo(java.time.Instant.ofEpochMilli(session.startTs()).toString());
        assertThat(doc.get("end_time").isNull()).as("still recording").isTrue();
        // against the segments the document itself lists: one that closes while this runs is in the index already
        // and in the document a moment later
        long closedFrames = 0;
        for (JsonNode segment : doc.get("segments")) {
            closedFrames += "closed".equals(segment.get("state").asText()) ? segment.get("frames").asLong() : 0;
        }
        assertThat(closedFrames).as("frames of the closed segments listed").isPositive();
        assertThat(doc.get("total_frames").asLong()).isGreaterThanOrEqualTo(closedFrames);

        JsonNode frames = doc.get("frames");
        assertThat(frames.size()).as("a snapshot every 2 s over 30 s").isGreaterThanOrEqualTo(12);
        for (int i = 0; i < frames.size(); i++) {
            JsonNode frame = frames.get(i);
            if (i > 0) {
                assertThat(frame.get("capture_ts").asLong() - frames.get(i - 1).get("capture_ts").asLong())
                        .as("snapshot interval").isGreaterThanOrEqualTo(2000);
            }
            BufferedImage image = ImageIO.read(ROOT.resolve(frame.get("snapshot").asText()).toFile());
            assertThat(image.getWidth()).isEqualTo(TestClips.WIDTH);
            assertThat(image.getHeight()).isEqualTo(TestClips.HEIGHT);
        }
        JsonNode segments = doc.get("segments");
        for (SegmentInfo closed : closed(CAM)) {
            assertThat(segments.findValues("start_ts").stream().map(JsonNode::asLong)).contains(closed.startTs());
        }

        Response latest = given().get("/streams/" + CAM + "/snapshot.jpg");
        latest.then().statusCode(200).contentType("image/jpeg");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(latest.asByteArray()));
        assertThat(image.getWidth()).isEqualTo(TestClips.WIDTH);
        assertThat(Long.parseLong(latest.header("X-Capture-Ts"))).isGreaterThanOrEqualTo(frames.get(0).get("capture_ts").asLong());
        given().get("/streams/nothing-here/snapshot.jpg").then().statusCode(404).body("message", containsString("no snapshot"));
        given().get("/streams/bad id/snapshot.jpg").then().statusCode(400);
    }

    @Test
    @Order(3)
    void listingsDescribeStreamsSessionsAndSegmentsWithTheirTimeRanges() {
        List<SegmentInfo> closed = closed(CAM);
        given().get("/archive/streams").then().statusCode(200)
                .body("find { it.stream_id == '" + CAM + "' }.recording", is(true))
                .body("find { it.stream_id == '" + CAM + "' }.first_ts", equalTo(closed.get(0).startTs()));
        String sessionId = CAM + "-" + archive.index().sessions(CAM).get(0).startTs();
        given().get("/archive/streams/" + CAM + "/sessions").then().statusCode(200).body("session_id", hasItem(sessionId));
        given().get("/archive/streams/" + CAM + "/sessions/" + sessionId).then().statusCode(200)
                .body("segments.size()", org.hamcrest.Matchers.greaterThanOrEqualTo(RECORDED_SEGMENTS));
        SegmentInfo second = closed.get(1);
        given().queryParam("from", second.startTs() + 1).queryParam("to", second.endTs())
                .get("/archive/streams/" + CAM + "/segments").then().statusCode(200)
                .body("segments.start_ts", equalTo(List.of(second.startTs())))
                .body("segments[0].end_ts", equalTo(second.endTs()))
                .body("segments[0].frames", equalTo((int) second.frames()));
        given().get("/archive/streams/unknown/segments").then().statusCode(404);
        given().queryParam("from", "yesterday").get("/archive/streams/" + CAM + "/segments").then().statusCode(400);
    }

    @Test
    @Order(4)
    void segmentsDownloadWithByteRangesSoPlayersCanSeek() throws Exception {
        SegmentInfo segment = closed(CAM).get(2);
        byte[] file = Files.readAllBytes(ROOT.resolve(segment.path()));
        String url = "/archive/streams/" + CAM + "/segments/" + segment.startTs() + ".mp4";

        Response whole = given().get(url);
        whole.then().statusCode(200).contentType("video/mp4").header("Accept-Ranges", "bytes");
        assertThat(whole.asByteArray()).isEqualTo(file);

        Response head = given().header("Range", "bytes=0-99").get(url);
        head.then().statusCode(206).header("Content-Range", "bytes 0-99/" + file.length);
        assertThat(head.asByteArray()).isEqualTo(Arrays.copyOfRange(file, 0, 100));

        Response tail = given().header("Range", "bytes=-500").get(url);
        tail.then().statusCode(206).header("Content-Range", "bytes " + (file.length - 500) + "-" + (file.length - 1) + "/" + file.length);
        assertThat(tail.asByteArray()).isEqualTo(Arrays.copyOfRange(file, file.length - 500, file.length));

        Response rest = given().header("Range", "bytes=1000-").get(url);
        rest.then().statusCode(206);
        assertThat(rest.asByteArray()).isEqualTo(Arrays.copyOfRange(file, 1000, file.length));

        given().header("Range", "bytes=" + file.length + "-").get(url).then().statusCode(416)
                .header("Content-Range", "bytes */" + file.length);
        given().get("/archive/streams/" + CAM + "/segments/12345.mp4").then().statusCode(404);
    }

    @Test
    @Order(5)
    void aClipAcrossTwoSegmentsIsCutOnTheKeyFrameBeforeItsStartWithoutReencoding(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        List<SegmentInfo> closed = closed(CAM);
        SegmentInfo first = closed.get(2);
        SegmentInfo second = closed.get(3);
        long from = first.startTs() + 1500; // mid-GOP: the clip must start at the key frame 500 ms earlier
        long to = second.startTs() + 2500;
        Response response = given().queryParam("from", from).queryParam("to", to).get("/archive/streams/" + CAM + "/clip.mp4");
        response.then().statusCode(200).contentType("video/mp4");
        Path clip = dir.resolve("clip.mp4");
        Files.write(clip, response.asByteArray());

        long clipStart = Long.parseLong(response.header("X-Clip-Start-Ts"));
        assertThat(clipStart).as("key frame at or before from").isBetween(from - 1000, from);
        Ffprobe.Probe probe = Ffprobe.probe(clip);
        assertThat(probe.errors()).isEmpty();
        assertThat(probe.startsOnKey()).isTrue();
        assertThat(probe.decodedFrames()).isEqualTo(Long.parseLong(response.header("X-Clip-Frames")));
        assertThat(probe.decodedFrames()).isCloseTo((to - clipStart) / TestClips.FRAME_MS, within(1L));

        List<String> recorded = new ArrayList<>(Pictures.checksums(ROOT.resolve(first.path())));
        recorded.addAll(Pictures.checksums(ROOT.resolve(second.path())));
        List<String> clipped = Pictures.checksums(clip);
        int offset = recorded.indexOf(clipped.get(0));
        assertThat(offset).as("the clip's first picture is a recorded one").isGreaterThanOrEqualTo(0);
        assertThat(clipped).isEqualTo(recorded.subList(offset, offset + clipped.size()));

        given().queryParam("from", to).queryParam("to", from).get("/archive/streams/" + CAM + "/clip.mp4").then().statusCode(400);
        given().queryParam("from", 1).queryParam("to", 2).get("/archive/streams/" + CAM + "/clip.mp4").then().statusCode(404);
    }

    @Test
    @Order(6)
    void idsThatTryToLeaveTheArchiveAreRefused() {
        for (String path : List.of(
                "/archive/streams/..%2F..%2Fetc/sessions",
                "/archive/streams/%2e%2e/segments",
                "/archive/streams/" + CAM + "/segments/..%2F..%2F..%2Fetc%2Fpasswd.mp4",
                "/archive/streams/" + CAM + "/segments/1%2F..%2F..%2Fx.mp4",
                "/archive/streams/" + CAM + "/sessions/" + CAM + "-..%2F..%2Fmetadata.json",
                "/archive/streams/" + CAM + "/sessions/..%2F" + CAM + "-1",
                "/archive/streams/.hidden/clip.mp4?from=1&to=2",
                "/streams/..%2F..%2Fetc%2Fpasswd/snapshot.jpg")) {
            given().urlEncodingEnabled(false).get(path).then()
                    .statusCode(anyOf(is(400), is(404)))
                    .body(not(containsString("root:")));
        }
    }

    @Test
    @Order(7)
    void resultsOfEveryExchangeAreArchivedPerSegmentAndAcknowledgedAfterTheFlush() throws Exception {
        SegmentInfo segment = closed(CAM).get(1);
        long ts = segment.startTs() + 120;
        try (Connection connection = Broker.get().connect(); Channel channel = connection.createChannel()) {
            publish(channel, Exchanges.PROCESSED_FRAMES, new ProcessedFrame(ProcessedFrame.SCHEMA, CAM, 4, ts, 320, 240,
                    "cpu", List.of(new TrackedObject(7, "box", 0.9, new int[]{1, 2, 30, 40}, 1200, null, null)), 3.5));
            publish(channel, Exchanges.SLAM_RESULTS, new SlamResult(SlamResult.SCHEMA, CAM, 4, ts / 1000.0, ts,
                    new double[]{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}, true, "tracking", 120, 0, 8.0));
            publish(channel, Exchanges.PTZ_COMMANDS, new PtzCommand(PtzCommand.SCHEMA, "ptz1", CAM, 4, ts, "stop",
                    "center", null, null, null, 10, -5, 1, 7L));
            publish(channel, Exchanges.IMU_DATA, TelemetrySample.of(CAM, ts + 5, ts, Json.MAPPER.readTree("{\"yaw\":1.5}")));
            channel.basicPublish(Exchanges.PROCESSED_FRAMES, "", null, "not json".getBytes());
            publish(channel, Exchanges.PROCESSED_FRAMES, Map.of("stream_id", "../../etc", "capture_ts", ts));
        }

        JsonNode answer = await().atMost(Duration.ofSeconds(10)).until(() -> Json.MAPPER.readTree(given()
                .queryParam("from", segment.startTs()).queryParam("to", segment.endTs())
                .get("/archive/streams/" + CAM + "/results").asString()), a -> a.get("count").asInt() == 4);
        assertThat(answer.get("results").findValues("schema").stream().map(JsonNode::asText))
                .containsExactlyInAnyOrder(ProcessedFrame.SCHEMA, SlamResult.SCHEMA, PtzCommand.SCHEMA, TelemetrySample.SCHEMA);
        assertThat(answer.get("results").findValues("capture_ts").stream().map(JsonNode::asLong)).containsOnly(ts);

        for (ResultKind kind : ResultKind.values()) {
            Path file = archive.layout().results(CAM, segment.startTs(), kind.fileName());
            List<String> lines = Files.readAllLines(file);
            assertThat(lines).as("%s: one JSON line per result", file).hasSize(1);
            assertThat(Json.MAPPER.readTree(lines.get(0)).get("capture_ts").asLong()).isEqualTo(ts);
        }
        try (Connection connection = Broker.get().connect(); Channel channel = connection.createChannel()) {
            for (ResultKind kind : ResultKind.values()) {
                await().atMost(Duration.ofSeconds(5)).until(() ->
                        channel.queueDeclarePassive(QUEUES + kind.fileName()).getMessageCount() == 0);
            }
        }
        given().queryParam("from", segment.startTs()).get("/archive/streams/" + CAM + "/results").then().statusCode(400);
        given().queryParam("from", 0).queryParam("to", 7_200_000).get("/archive/streams/" + CAM + "/results").then().statusCode(400);
        given().queryParam("from", 0).queryParam("to", 1).queryParam("kind", "passwords")
                .get("/archive/streams/" + CAM + "/results").then().statusCode(400);
    }

    @Test
    @Order(8)
    void aStreamAnnouncedOnTheBusIsRecordedUntilItIsStoppedThenItsResultQueueGoes() throws Exception {
        try (Broker.Tap recordings = Broker.get().tap(Exchanges.RECORDINGS)) {
            RelayResource.relay().addFileSource(CAM2, TestClips.clip());
            JsonNode event = recordings.poll(Duration.ofSeconds(30), e -> e.path("stream_id").asText().equals(CAM2));
            assertThat(event.get("schema").asText()).isEqualTo("recording_closed/1");
            Path file = ROOT.resolve(event.get("path").asText());
            assertThat(event.get("size_bytes").asLong()).isEqualTo(Files.size(file));
            assertThat(event.get("frames").asLong()).isEqualTo(Ffprobe.probe(file).decodedFrames());
            assertThat(event.get("end_ts").asLong() - event.get("start_ts").asLong())
                    .isCloseTo(event.get("frames").asLong() * TestClips.FRAME_MS, within(TestClips.FRAME_MS * 2));
        }
        assertThat(ArchiveQueues.streamQueueExists(Broker.get(), QUEUES, CAM2)).as("its results' queue").isTrue();
        RelayResource.relay().removeSource(CAM2);
        await().atMost(Duration.ofSeconds(15)).until(() -> archive.index().sessions(CAM2).get(0).ended());
        await("the ended stream's queue deleted by the second idle sweep").atMost(Duration.ofSeconds(30))
                .until(() -> !ArchiveQueues.streamQueueExists(Broker.get(), QUEUES, CAM2));
        Session session = archive.index().sessions(CAM2).get(0);
        assertThat(session.endReason()).contains(Session.STOPPED);
        assertThat(ArchiveFiles.find(archive.layout().streamDir(CAM2), ".partial.mp4")).isEmpty();
        for (SegmentInfo segment : session.segments()) {
            assertThat(segment.open()).isFalse();
            assertThat(Ffprobe.probe(ROOT.resolve(segment.path())).errors()).isEmpty();
        }
    }

    @Test
    @Order(9)
    void anH265StreamIsArchivedAsHvc1FromIrapToIrapWithSnapshotsAndClips(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        RelayResource.relay().addFileSource(HEVC, TestClips.hevcClip());
        try {
            List<SegmentInfo> segments = await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500))
                    .until(() -> closed(HEVC), s -> s.size() >= 2).subList(0, 2);
            Map<String, Integer> source = Pictures.index(TestClips.hevcClip());
            List<Integer> pictures = new ArrayList<>();
            for (SegmentInfo segment : segments) {
                Path file = ROOT.resolve(segment.path());
                Ffprobe.Probe probe = Ffprobe.probe(file);
                assertThat(probe.errors()).as("ffprobe errors on %s", file).isEmpty();
                assertThat(probe.codec()).isEqualTo("hevc");
                assertThat(probe.codecTag()).as("the sample entry players accept").isEqualTo("hvc1");
                assertThat(probe.startsOnKey()).as("%s starts on a key frame", file).isTrue();
                assertThat(probe.decodedFrames()).as("pictures decoded from %s", file).isEqualTo(segment.frames());
                List<Integer> recorded = sourcePictures(file, source);
                assertThat(recorded.get(0) % TestClips.GOP).as("%s starts on one of the source's IRAPs", file).isZero();
                pictures.addAll(recorded);
            }
            assertThat(segments.get(1).startTs()).isEqualTo(segments.get(0).endTs());
            assertThat(segments.get(0).closeReason()).isEqualTo(SegmentInfo.LENGTH);
            assertLoopOfSource(pictures, TestClips.HEVC_FRAMES);

            Response snapshot = given().get("/streams/" + HEVC + "/snapshot.jpg");
            snapshot.then().statusCode(200).contentType("image/jpeg");
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(snapshot.asByteArray()));
            assertThat(image.getWidth()).isEqualTo(TestClips.WIDTH);
            assertThat(image.getHeight()).isEqualTo(TestClips.HEIGHT);

            long from = segments.get(0).startTs() + 1500;
            long to = segments.get(1).startTs() + 1000;
            Response response = given().queryParam("from", from).queryParam("to", to)
                    .get("/archive/streams/" + HEVC + "/clip.mp4");
            response.then().statusCode(200).contentType("video/mp4");
            Path clip = Files.write(dir.resolve("clip.mp4"), response.asByteArray());
            Ffprobe.Probe probe = Ffprobe.probe(clip);
            assertThat(probe.errors()).isEmpty();
            assertThat(probe.codecTag()).isEqualTo("hvc1");
            assertThat(probe.startsOnKey()).isTrue();
            assertThat(probe.decodedFrames()).isEqualTo(Long.parseLong(response.header("X-Clip-Frames")));
            List<Integer> clipped = sourcePictures(clip, source);
            int offset = pictures.indexOf(clipped.get(0));
            assertThat(offset).as("the clip starts at the IRAP before from").isEqualTo(25);
            assertThat(clipped).isEqualTo(pictures.subList(offset, offset + clipped.size()));
        } finally {
            RelayResource.relay().removeSource(HEVC);
        }
    }

    @Test
    @Order(10)
    void aRelayRestartClosesTheSegmentRecordsTheGapAndRecordingResumes() throws Exception {
        int before = closed(CAM).size();
        RelayResource.relay().restart();
        RelayResource.relay().addFileSource(CAM, TestClips.clip());

        SegmentInfo lost = await().atMost(Duration.ofSeconds(20)).until(() -> closed(CAM).stream()
                .filter(s -> s.closeReason().equals(SegmentInfo.STREAM_LOST)).findFirst().orElse(null), s -> s != null);
        SegmentInfo resumed = await().atMost(Duration.ofSeconds(40)).until(() -> closed(CAM).stream()
                .filter(s -> s.startTs() > lost.startTs()).findFirst().orElse(null), s -> s != null);
        assertThat(closed(CAM).size()).isGreaterThan(before);

        Session session = archive.index().sessions(CAM).get(0);
        assertThat(session.segments()).extracting(SegmentInfo::startTs).contains(lost.startTs(), resumed.startTs());
        assertThat(session.gaps()).contains(new Gap(lost.endTs(), resumed.startTs(), SegmentInfo.STREAM_LOST));
        for (SegmentInfo segment : List.of(lost, resumed)) {
            Ffprobe.Probe probe = Ffprobe.probe(ROOT.resolve(segment.path()));
            assertThat(probe.errors()).isEmpty();
            assertThat(probe.startsOnKey()).isTrue();
            assertThat(probe.decodedFrames()).isEqualTo(segment.frames());
        }
        List<Path> partials = ArchiveFiles.find(archive.layout().streamDir(CAM), ".partial.mp4");
        assertThat(partials).as("only the segment being written is partial").hasSizeLessThanOrEqualTo(1);
    }

    /** The source picture each decoded picture of {@code file} is, by checksum; every one must be a source picture. */
    private static List<Integer> sourcePictures(Path file, Map<String, Integer> source) throws Exception {
        List<Integer> pictures = new ArrayList<>();
        for (String checksum : Pictures.checksums(file)) {
            assertThat(source).as("a picture of %s is one of the source's", file).containsKey(checksum);
            pictures.add(source.get(checksum));
        }
        return pictures;
    }

    /** Each picture is the next one of a looped source of {@code frames} pictures: none lost, none repeated. */
    private static void assertLoopOfSource(List<Integer> pictures, int frames) {
        for (int i = 1; i < pictures.size(); i++) {
            assertThat(pictures.get(i)).as("picture %d follows %d in the source", i, i - 1)
                    .isEqualTo((pictures.get(i - 1) + 1) % frames);
        }
    }

    private List<SegmentInfo> closed(String stream) {
        return archive.index().segments(stream, Long.MIN_VALUE, Long.MAX_VALUE).stream().filter(s -> !s.open()).toList();
    }

    private static void publish(Channel channel, String exchange, Object message) throws Exception {
        channel.basicPublish(exchange, "", null, Json.MAPPER.writeValueAsBytes(message));
    }
}
