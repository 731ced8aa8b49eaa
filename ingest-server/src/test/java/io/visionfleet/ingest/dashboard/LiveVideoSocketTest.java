package io.visionfleet.ingest.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.common.bus.Json;
import io.visionfleet.ingest.testing.Ffprobe;
import io.visionfleet.ingest.testing.ReferenceClip;
import io.visionfleet.ingest.testing.TestRelay;
import io.visionfleet.ingest.testing.WsClient;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /ws/view/{stream}} on the real relay: a viewer starts on a key frame with the codec announced, every picture
 * carries the capture time it was published with, and what it receives, Annex-B or fragmented MP4, decodes with FFmpeg
 * to exactly those pictures.
 */
@QuarkusTest
@Tag("integration")
class LiveVideoSocketTest {
    private static final ReferenceClip CLIP = ReferenceClip.synthetic(320, 240, 25, 10, 50);

    @Inject
    TestRelay relay;

    @Test
    void aViewerGetsDecodablePicturesTaggedWithTheirCaptureTime() throws Exception {
        watch("", ".h264", config -> assertThat(config.has("format")).as("Annex-B by default").isFalse());
    }

    @Test
    void anMseViewerGetsAFragmentedMp4OfTheSamePicturesTimedByCaptureTime() throws Exception {
        watch("?format=fmp4", ".mp4", config -> {
            assertThat(config.path("format").asText()).isEqualTo("fmp4");
            assertThat(config.path("width").asInt()).isEqualTo(320);
            assertThat(config.path("height").asInt()).isEqualTo(240);
            assertThat(config.path("base_ts").asLong()).isPositive();
        });
    }

    @Test
    void anUnknownFormatIsRefusedWithTheFormatsThereAre() throws Exception {
        try (TestRelay.FedStream fed = relay.feed("view" + System.nanoTime() % 100_000, CLIP);
             WsClient viewer = WsClient.connect("/ws/view/" + fed.stream().id() + "?format=webm")) {
            assertThat(viewer.closeCode(Duration.ofSeconds(10))).isEqualTo(ViewerSockets.POLICY_VIOLATION);
            assertThat(viewer.closeReason()).isEqualTo("format must be annexb or fmp4");
        }
    }

    /**
     * Joins a stream mid-GOP with {@code query}, checks the announcement, takes 30 pictures and decodes what came
     * (Annex-B, or the initialization segment and fragments) with FFmpeg: each is the clip picture published at its
     * capture_ts, and an MP4's presentation times are the capture times less {@code base_ts}.
     */
    private void watch(String query, String suffix, Consumer<JsonNode> announced) throws Exception {
        try (TestRelay.FedStream fed = relay.feed("view" + System.nanoTime() % 100_000, CLIP)) {
            // join mid-GOP: the cached GOP gives the viewer a key frame at once
            org.awaitility.Awaitility.await().until(() -> fed.feed().published() > 14);
            try (WsClient viewer = WsClient.connect("/ws/view/" + fed.stream().id() + query)) {
                JsonNode config = Json.MAPPER.readTree(viewer.pollText(Duration.ofSeconds(10)));
                assertThat(config.path("type").asText()).isEqualTo("config");
                assertThat(config.path("stream_id").asText()).isEqualTo(fed.stream().id());
                assertThat(config.path("codec").asText()).matches("avc1\\.[0-9a-f]{6}");
                announced.accept(config);
                boolean mp4 = suffix.equals(".mp4");
                ByteArrayOutputStream media = new ByteArrayOutputStream();
                if (mp4) {
                    byte[] init = viewer.pollBinary(Duration.ofSeconds(10));
                    assertThat(init[0]).as("the initialization segment first").isEqualTo(PictureFraming.INIT_SEGMENT);
                    media.write(init, 1, init.length - 1);
                }
                List<Long> captureTimes = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    byte[] message = viewer.pollBinary(Duration.ofSeconds(10));
                    assertThat(message).as("picture %d", i).isNotNull();
                    ByteBuffer header = ByteBuffer.wrap(message);
                    assertThat(header.get()).isEqualTo(mp4 ? PictureFraming.FRAGMENT : PictureFraming.ANNEX_B_PICTURE);
                    boolean key = (header.get() & 1) == 1;
                    if (i == 0) {
                        assertThat(key).as("the first picture is a key frame").isTrue();
                    }
                    captureTimes.add(header.getLong());
                    media.write(message, PictureFraming.PICTURE_HEADER_BYTES, message.length - PictureFraming.PICTURE_HEADER_BYTES);
                }
                assertThat(captureTimes).isSorted().doesNotHaveDuplicates();
                Path file = Files.createTempFile("viewer", suffix);
                try {
                    Files.write(file, media.toByteArray());
                    List<String> decoded = ReferenceClip.digests(file);
                    assertThat(decoded).as("every picture decodes").hasSize(30);
                    for (int i = 0; i < decoded.size(); i++) {
                        long published = fed.feed().pictureAt(captureTimes.get(i));
                        assertThat(CLIP.pictureOf(decoded.get(i))).as("picture %d is the one captured at its capture_ts", i)
                                .isEqualTo((int) (published % CLIP.frames()));
                    }
                    if (mp4) {
                        long base = config.path("base_ts").asLong();
                        assertThat(Ffprobe.presentationTimes(file))
                                .isEqualTo(captureTimes.stream().map(ts -> ts - base).toList());
                    }
                } finally {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    @Test
    void aStreamThatIsNotOnTheRelayClosesWith4404() throws Exception {
        try (WsClient viewer = WsClient.connect("/ws/view/nothing-here")) {
            assertThat(viewer.closeCode(Duration.ofSeconds(10))).isEqualTo(LiveVideoSocket.NO_SUCH_STREAM);
        }
    }
}
