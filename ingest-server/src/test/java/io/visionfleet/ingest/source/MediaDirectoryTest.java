package io.visionfleet.ingest.source;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.visionfleet.common.testing.FleetToken;
import io.visionfleet.ingest.testing.TestMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /streams} takes {@code file:} sources only under the media directory ({@code TestMedia} in
 * tests): a file outside it, a way out by {@code ..}, by a symbolic link to a file or through a linked directory are
 * refused with 403 and the reason, before anything is said about whether the file exists. Stream ids cannot name
 * directories either.
 */
@QuarkusTest
@Tag("integration")
class MediaDirectoryTest {
    private Path media;
    private Path outside;

    @BeforeEach
    void files() throws IOException {
        media = Files.createTempDirectory(TestMedia.dir(), "media-test");
        outside = Files.createTempFile(Path.of("target").toAbsolutePath(), "outside", ".mp4");
        Files.writeString(outside, "not under the media directory");
    }

    @AfterEach
    void clean() throws IOException {
        given().auth().oauth2(FleetToken.TEST).delete("/streams/media-ok");
        try (Stream<Path> all = Files.walk(media)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        Files.deleteIfExists(outside);
    }

    @Test
    void aFileUnderTheMediaDirectoryIsAccepted() throws IOException {
        Path video = Files.writeString(media.resolve("clip.mp4"), "x");
        assertThat(add("media-ok", "file:" + video).statusCode()).isEqualTo(201);
    }

    @Test
    void aFileOutsideIsRefusedWithTheReason() {
        Response refused = add("media-out", "file:" + outside);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.jsonPath().getInt("status")).isEqualTo(403);
        assertThat(refused.jsonPath().getString("message")).contains("must lie under the media directory")
                .contains("fleet.sources.media-dir");
        assertThat(add("media-etc", "file:/etc/hostname").statusCode()).isEqualTo(403);
        assertThat(add("media-none", "file:/no/such/file.mp4").statusCode())
                .as("no hint whether a file outside exists").isEqualTo(403);
    }

    @Test
    void dotDotOutOfTheDirectoryIsRefused() {
        String escape = "file:" + media + "/../../../../../../" + outside;
        Response refused = add("media-dots", escape);
        assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(403);
        assertThat(refused.jsonPath().getString("message")).contains("media directory");
        assertThat(add("media-dots2", "file:" + media + "/%2e%2e/%2e%2e/etc/hostname").statusCode()).isEqualTo(403);
    }

    @Test
    void symbolicLinksOutOfTheDirectoryAreRefused() throws IOException {
        Path link = Files.createSymbolicLink(media.resolve("link.mp4"), outside);
        Response refused = add("media-link", "file:" + link);
        assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(403);
        assertThat(refused.jsonPath().getString("message")).contains("symbolic link");
        Path dir = Files.createSymbolicLink(media.resolve("elsewhere"), outside.getParent());
        Response throughDir = add("media-dir-link", "file:" + dir.resolve(outside.getFileName()));
        assertThat(throughDir.statusCode()).as(throughDir.asString()).isEqualTo(403);
    }

    @Test
    void aMissingFileInsideIsABadRequest() {
        Response missing = add("media-missing", "file:" + media.resolve("nothing.mp4"));
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.jsonPath().getString("message")).contains("no readable file");
    }

    @Test
    void streamIdsCannotNameDirectories() {
        for (String id : new String[]{"..", "../x", "a/b", ".hidden", "a\\\\b"}) {
            Response refused = add(id, "rtsp://127.0.0.1:1/x");
            assertThat(refused.statusCode()).as(id).isEqualTo(400);
            assertThat(refused.jsonPath().getString("message")).as(id).contains("invalid stream id");
        }
    }

    private static Response add(String id, String url) {
        return given().auth().oauth2(FleetToken.TEST).contentType("application/json")
                .body("{\"id\":\"" + id + "\",\"url\":\"" + url + "\"}").post("/streams");
    }
}
