package io.visionfleet.ingest.feed;

import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.ingest.testing.FrameRuns;
import io.visionfleet.ingest.testing.PacedFeed;
import io.visionfleet.ingest.testing.ReferenceClip;
import io.visionfleet.ingest.testing.RtspReader;
import io.visionfleet.ingest.testing.TestRelay;
import io.visionfleet.ingest.testing.WsClient;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.restassured.RestAssured.get;
import static io.restassured.RestAssured.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@Tag("integration")
class VideoSocketTest {
    private static final Duration WITHIN = Duration.ofSeconds(20);
    private static final byte[] START = {0, 0, 0, 1};
    /** An access unit delimiter: its start code ends whatever NAL unit came before. */
    private static final byte[] AUD = {0, 0, 0, 1, 0x09, (byte) 0xf0};

    @Inject
    TestRelay relay;

    @Test
    void aStreamCutAtRandomBoundariesIsRelayedFrameForFrame() throws Exception {
        ReferenceClip clip = ReferenceClip.synthetic(320, 240, 30, 60, 60);
        assertThat(clip.digests()).hasSize(60);
        Random random = new Random(42);
        try (WsClient publisher = WsClient.connect("/ws/video/w")) {
            sendInRandomPieces(publisher, clip.annexB(), random);
            try (RtspReader reader = RtspReader.openWhenServed(relay.url("w"), WITHIN)) {
                // a second copy completes the first copy's last picture and pushes it out of the decoder
                sendInRandomPieces(publisher, clip.annexB(), random);
                reader.awaitPictures(80, WITHIN);
                List<String> decoded = reader.digests();
                assertThat(decoded.subList(0, 60)).containsExactlyElementsOf(clip.digests());
                FrameRuns.assertLoopOfClip(decoded, clip.digests(), 60);
            }
        }
        await().atMost(WITHIN).untilAsserted(() -> when().get("/streams/w").then().statusCode(404));
    }

    @Test
    void garbageOnOneStreamIsDroppedAndCountedWhileAnotherKeepsFlowing() throws Exception {
        ReferenceClip clip = ReferenceClip.synthetic(320, 240, 30, 15, 30);
        Random random = new Random(7);
        try (WsClient y = WsClient.connect("/ws/video/y"); PacedFeed feeding = PacedFeed.over(y, clip);
             RtspReader reader = RtspReader.openWhenServed(relay.url("y"), WITHIN)) {
            reader.awaitPictures(10, WITHIN);
            try (WsClient x = WsClient.connect("/ws/video/x")) {
                x.sendBinary(randomBytes(random, 1 << 20)); // no start code yet: skipped
                x.sendBinary(concat(START, new byte[]{(byte) 0xe5, 1, 2, 3}, START, new byte[]{0x1e, 4, 5}, AUD));
                byte[] idr = ReferenceClip.annexB(clip.accessUnits().get(0));
                x.sendBinary(concat(Arrays.copyOf(idr, idr.length / 2), AUD)); // a picture cut off halfway
                x.sendBinary(concat(START, new byte[]{0x67}, AUD)); // an SPS of one byte
                x.sendBinary(concat(START, new byte[]{0x65}, randomBytes(random, 10 << 20))); // a 10 MB NAL unit
                x.sendBinary(AUD);
                assertThat(x.reply(WITHIN)).contains("\"type\":\"error\"").contains("dropped invalid NAL units");
                x.sendText("{\"type\":\"video_config\",");
                assertThat(x.reply(WITHIN)).contains("\"type\":\"error\"").contains("invalid JSON");
                assertThat(x.isOpen()).isTrue();
                get("/streams/x").then().statusCode(200)
                        .body("feed", equalTo("websocket"))
                        .body("ingest_errors.rejected_messages", equalTo(1));
                int droppedNals = get("/streams/x").path("ingest_errors.dropped_nals");
                long skippedBytes = ((Number) get("/streams/x").path("ingest_errors.skipped_bytes")).longValue();
                assertThat(droppedNals).as("forbidden bit, reserved type, 10 MB unit").isGreaterThanOrEqualTo(3);
                assertThat(skippedBytes).isGreaterThan(0);

                try (WsClient tooBig = WsClient.connect("/ws/video/x-big")) {
                    tooBig.sendBinaryInFragments(new byte[17 << 20], 1 << 20);
                    assertThat(tooBig.closeCode(WITHIN)).as("message too big").isEqualTo(1009);
                }
                try (WsClient again = WsClient.connect("/ws/video/x-big")) {
                    again.sendText("{\"type\":\"video_config\",\"width\":320}");
                    assertThat(again.reply(WITHIN)).as("reconnecting at once: the stream was freed before the close")
                            .contains("\"type\":\"ack\"");
                }
                x.sendText("{\"type\":\"video_config\",\"width\":320}");
                assertThat(x.reply(WITHIN)).contains("\"type\":\"ack\"");
            }
            int before = reader.count();
            reader.awaitPictures(before + 30, WITHIN);
            assertThat(reader.failure()).isNull();
            FrameRuns.assertLoopOfClip(reader.digests(), clip.digests(), 15);
        }
    }

    @Test
    void aSecondPublisherOrAnInvalidIdIsRefusedWithAReason() throws Exception {
        try (WsClient first = WsClient.connect("/ws/video/dup")) {
            await().atMost(WITHIN).untilAsserted(() -> when().get("/streams/dup").then().statusCode(200));
            try (WsClient second = WsClient.connect("/ws/video/dup")) {
                assertThat(second.reply(WITHIN)).contains("\"type\":\"error\"").contains("already open");
                assertThat(second.closeCode(WITHIN)).isEqualTo(1008);
            }
            assertThat(first.isOpen()).isTrue();
            get("/streams/dup").then().statusCode(200);
        }
        try (WsClient invalid = WsClient.connect("/ws/video/-dash-first")) {
            assertThat(invalid.reply(WITHIN)).contains("invalid stream id");
            assertThat(invalid.closeCode(WITHIN)).isEqualTo(1008);
        }
    }

    @Test
    void videoConfigIsKeptForStatusAndTheDefaultPathPublishesTheDroneStream() throws Exception {
        try (WsClient drone = WsClient.connect("/ws/video")) {
            drone.sendText("{\"type\":\"video_config\",\"width\":320,\"height\":240,\"fps\":30,\"codec\":\"h264\"}");
            assertThat(drone.reply(WITHIN)).contains("\"type\":\"ack\"");
            drone.sendText("{\"type\":\"launch\"}");
            assertThat(drone.reply(WITHIN)).contains("unknown message type 'launch'");
            get("/streams/drone").then().statusCode(200)
                    .body("video_config.width", equalTo(320))
                    .body("video_config.codec", equalTo("h264"))
                    .body("source_state", equalTo("publishing"))
                    .body("rtsp_url", equalTo(relay.advertisedUrl("drone")));
        }
        await().atMost(WITHIN).untilAsserted(() -> when().get("/streams/drone").then().statusCode(404));
    }

    /** Sends {@code data} in pieces of random size, so NAL units are cut anywhere and some pieces hold many. */
    static void sendInRandomPieces(WsClient socket, byte[] data, Random random) {
        for (int pos = 0; pos < data.length; ) {
            int size = random.nextInt(10) == 0 ? 1 + random.nextInt(40_000) : 1 + random.nextInt(1_500);
            int end = Math.min(data.length, pos + size);
            socket.sendBinary(Arrays.copyOfRange(data, pos, end));
            pos = end;
        }
    }

    static byte[] randomBytes(Random random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
