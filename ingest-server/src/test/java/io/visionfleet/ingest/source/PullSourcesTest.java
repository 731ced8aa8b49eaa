package io.visionfleet.ingest.source;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.messages.StreamEvent;
import io.quarkus.test.common.http.TestHTTPResource;
import io.visionfleet.common.testing.FleetToken;
import io.visionfleet.sim.scene.SyntheticVideo;
import io.visionfleet.common.testing.Broker;
import io.visionfleet.ingest.testing.FrameRuns;
import io.visionfleet.ingest.testing.PacedFeed;
import io.visionfleet.ingest.testing.ReferenceClip;
import io.visionfleet.ingest.testing.RtspReader;
import io.visionfleet.ingest.testing.TestMedia;
import io.visionfleet.ingest.testing.TestRelay;
import io.visionfleet.ingest.testing.WsClient;
import jakarta.inject.Inject;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.get;
import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@Tag("integration")
class PullSourcesTest {
    private static final Duration WITHIN = Duration.ofSeconds(20);
    private static final int GOP = 15;

    @Inject
    TestRelay relay;
    @TestHTTPResource("/streams/file1")
    URL file1;

    @Test
    void anMp4FileIsRelayedInRealTimeLoopAfterLoopWithoutReencoding(@TempDir(factory = TestMedia.class) Path dir) throws Exception {
        Path mp4 = SyntheticVideo.mp4(dir.resolve("clip.mp4"), 320, 240, 30, GOP, 30);
        List<String> reference = ReferenceClip.digests(mp4);
        assertThat(reference).hasSize(30);

        given().auth().oauth2(FleetToken.TEST).contentType(ContentType.JSON).body("{\"id\":\"file1\",\"url\":\"file:" + mp4 + "\"}")
                .when().post("/streams")
                .then().statusCode(201).header("Location", startsWith(file1.toString()))
                .body("id", equalTo("file1")).body("feed", equalTo("file"));
        try (RtspReader reader = RtspReader.openWhenServed(relay.url("file1"), WITHIN)) {
            // the cached GOP arrives at once; after it the file plays at its own 30 fps
            reader.awaitPictures(30, WITHIN);
            long live = System.nanoTime();
            reader.awaitPictures(75, WITHIN); // two and a half passes: the loop joins seamlessly
            double seconds = (System.nanoTime() - live) / 1e9;
            FrameRuns.assertLoopOfClip(reader.digests(), reference, GOP);
            List<RtspReader.Picture> pictures = reader.pictures();
            for (int i = 1; i < pictures.size(); i++) {
                // capture time is the file's timeline (33.3 ms in whole ms), however late the relay's thread woke
                assertThat(pictures.get(i).captureTs() - pictures.get(i - 1).captureTs())
                        .as("capture-time step to picture %d, loop joins included", i).isBetween(33L, 34L);
            }
            for (int i = 0; i < pictures.size(); i++) {
                // real time, not as fast as the file can be read: a picture leaves when the file's timeline reaches
                // it, its capture time, so none is decoded earlier whatever the load (which can only delay it)
                assertThat(pictures.get(i).decodedMs()).as("when picture %d was decoded, against its capture time", i)
                        .isGreaterThanOrEqualTo(pictures.get(i).captureTs() - 1);
            }
            System.out.printf("file1: pictures 30 to 75 in %.2f s (1.5 s at 30 fps); input_fps %s%n", seconds,
                    get("/streams/file1").path("input_fps"));
        }
        get("/streams/file1").then().statusCode(200)
                .body("source_state", equalTo("playing"))
                .body("readers.size()", equalTo(0));

        given().auth().oauth2(FleetToken.TEST).when().delete("/streams/file1").then().statusCode(204);
        when().get("/streams/file1").then().statusCode(404);
    }

    @Test
    void aRawH264FileIsRelayedToo(@TempDir(factory = TestMedia.class) Path dir) throws Exception {
        ReferenceClip clip = ReferenceClip.synthetic(320, 240, 30, GOP, 30);
        Path raw = java.nio.file.Files.write(dir.resolve("clip.h264"), clip.annexB());
        given().auth().oauth2(FleetToken.TEST).contentType(ContentType.JSON).body("{\"id\":\"raw1\",\"url\":\"file://" + raw + "\"}")
                .when().post("/streams").then().statusCode(201);
        try (RtspReader reader = RtspReader.openWhenServed(relay.url("raw1"), WITHIN)) {
            reader.awaitPictures(45, WITHIN);
            FrameRuns.assertLoopOfClip(reader.digests(), clip.digests(), GOP);
        } finally {
            given().auth().oauth2(FleetToken.TEST).when().delete("/streams/raw1").then().statusCode(204);
        }
    }

    @Test
    void anRtspSourcePullsTheRelaysOwnStreamAndDeleteStopsIt() throws Exception {
        ReferenceClip clip = ReferenceClip.synthetic(320, 240, 30, GOP, 30);
        try (Broker.Tap events = Broker.get().tap(Exchanges.STREAM_EVENTS);
             WsClient publisher = WsClient.connect("/ws/video/y");
             PacedFeed feeding = PacedFeed.over(publisher, clip)) {
            await().atMost(WITHIN).untilAsserted(() ->
                    get("/streams/y").then().statusCode(200).body("has_parameter_sets", equalTo(true)));

            given().auth().oauth2(FleetToken.TEST).contentType(ContentType.JSON).body("{\"id\":\"y2\",\"url\":\"" + relay.advertisedUrl("y") + "\"}")
                    .when().post("/streams").then().statusCode(201).body("feed", equalTo("rtsp"));
            try (RtspReader reader = RtspReader.openWhenServed(relay.url("y2"), WITHIN)) {
                reader.awaitPictures(45, WITHIN);
                FrameRuns.assertLoopOfClip(reader.digests(), clip.digests(), GOP);
            }
            get("/streams/y2").then().statusCode(200)
                    .body("source", equalTo(relay.advertisedUrl("y")))
                    .body("source_state", equalTo("playing"));
            // y2 is itself a reader of y
            get("/streams/y").then().body("readers.size()", greaterThanOrEqualTo(1));

            given().auth().oauth2(FleetToken.TEST).when().delete("/streams/y2").then().statusCode(204);
            var stopped = events.poll(WITHIN, m -> StreamEvent.STOPPED.equals(m.path("event").asText())
                    && "y2".equals(m.path("stream_id").asText()));
            assertThat(stopped.path("rtsp_url").asText()).isEqualTo(relay.advertisedUrl("y2"));
            when().get("/streams/y2").then().statusCode(404);
            // its session on y ends once the source has let go
            await().atMost(WITHIN).untilAsserted(() -> get("/streams/y").then().body("readers.size()", equalTo(0)));
        }
    }

    @Test
    void anH265Mp4FileIsRelayedAndAnRtspSourcePullsItFrameForFrame(@TempDir(factory = TestMedia.class) Path dir) throws Exception {
        ReferenceClip clip = ReferenceClip.x265(320, 240, 30, GOP, 30, 2);
        Path mp4 = clip.mp4(dir.resolve("hevc.mp4"));
        given().auth().oauth2(FleetToken.TEST).contentType(ContentType.JSON).body("{\"id\":\"hevc-file\",\"url\":\"file:" + mp4 + "\"}")
                .when().post("/streams").then().statusCode(201);
        given().auth().oauth2(FleetToken.TEST).contentType(ContentType.JSON)
                .body("{\"id\":\"hevc-cam\",\"url\":\"" + relay.advertisedUrl("hevc-file") + "\"}")
                .when().post("/streams").then().statusCode(201).body("feed", equalTo("rtsp"));
        try (RtspReader file = RtspReader.openWhenServed(relay.url("hevc-file"), WITHIN);
             RtspReader camera = RtspReader.openWhenServed(relay.url("hevc-cam"), WITHIN)) {
            file.awaitPictures(45, WITHIN);
            FrameRuns.assertLoopOfClip(file.digests(), clip.digests(), GOP);
            camera.awaitPictures(45, WITHIN);
            FrameRuns.assertLoopOfClip(camera.digests(), clip.digests(), GOP);
        } finally {
            given().auth().oauth2(FleetToken.TEST).when().delete("/streams/hevc-cam").then().statusCode(204);
            given().auth().oauth2(FleetToken.TEST).when().delete("/streams/hevc-file").then().statusCode(204);
        }
    }

    @Test
    void anUnreachableCameraReportsRetryingAndKeepsTrying() {
        given().auth().oauth2(FleetToken.TEST).contentType(ContentType.JSON).body("{\"id\":\"dead-cam\",\"url\":\"rtsp://admin:secret@127.0.0.1:1/none\"}")
                .when().post("/streams").then().statusCode(201).body("source", equalTo("rtsp://admin:***@127.0.0.1:1/none"));
        await().atMost(WITHIN).untilAsserted(() -> get("/streams/dead-cam").then().statusCode(200)
                .body("source_state", startsWith("retrying in 2 s: "))
                .body("source_state", not(containsString("secret")))
                .body("ingest_errors.reconnects", greaterThanOrEqualTo(1)));
        await().atMost(WITHIN).untilAsserted(() -> get("/streams/dead-cam").then()
                .body("source_state", startsWith("retrying in 4 s: "))
                .body("ingest_errors.reconnects", greaterThanOrEqualTo(2)));
        get("/q/health/ready").then().statusCode(200);
        given().auth().oauth2(FleetToken.TEST).when().delete("/streams/dead-cam").then().statusCode(204);
    }

    @Test
    void aFileInAnotherCodecIsRefusedByItsStateNotByACrash(@TempDir(factory = TestMedia.class) Path dir) throws Exception {
        Path mpeg4 = dir.resolve("mpeg4.mp4");
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(mpeg4.toFile(), 160, 120, 0);
             Frame frame = new Frame(160, 120, Frame.DEPTH_UBYTE, 3)) {
            recorder.setFormat("mp4");
            recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
            recorder.setFrameRate(10);
            recorder.start();
            for (int i = 0; i < 5; i++) {
                recorder.record(frame);
            }
            recorder.stop();
        }
        given().auth().oauth2(FleetToken.TEST).contentType(ContentType.JSON).body("{\"id\":\"mpeg4\",\"url\":\"file:" + mpeg4 + "\"}")
                .when().post("/streams").then().statusCode(201);
        try {
            await().atMost(WITHIN).untilAsserted(() -> get("/streams/mpeg4").then()
                    .body("source_state", startsWith("retrying in 2 s: video codec mpeg4 is not H.264 or H.265")));
        } finally {
            given().auth().oauth2(FleetToken.TEST).when().delete("/streams/mpeg4").then().statusCode(204);
        }
    }
}
