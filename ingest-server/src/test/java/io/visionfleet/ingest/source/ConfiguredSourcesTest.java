package io.visionfleet.ingest.source;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.visionfleet.common.testing.FleetToken;
import io.visionfleet.sim.scene.SyntheticVideo;
import io.visionfleet.ingest.testing.RtspReader;
import io.visionfleet.ingest.testing.TestRelay;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.get;
import static io.restassured.RestAssured.when;
import static org.hamcrest.Matchers.equalTo;

/** Sources in {@code fleet.sources.streams.*} start with the server; a broken one is reported, not fatal. */
@QuarkusTest
@TestProfile(ConfiguredSourcesTest.WithSources.class)
@Tag("integration")
class ConfiguredSourcesTest {
    private static final Duration WITHIN = Duration.ofSeconds(20);

    public static class WithSources implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path mp4 = SyntheticVideo.mp4(Files.createTempDirectory("configured").resolve("demo.mp4"),
                        320, 240, 30, 15, 30);
                mp4.toFile().deleteOnExit();
                return Map.of("fleet.sources.streams.demo.url", "file:" + mp4,
                        "fleet.sources.streams.bad.url", "ftp://nowhere/x");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Inject
    TestRelay relay;

    @Test
    void aConfiguredFileIsServedFromStartAndABrokenEntryIsSkipped() throws Exception {
        get("/streams/demo").then().statusCode(200).body("feed", equalTo("file"));
        try (RtspReader reader = RtspReader.openWhenServed(relay.url("demo"), WITHIN)) {
            reader.awaitPictures(30, WITHIN);
        }
        get("/streams/demo").then().body("source_state", equalTo("playing"));
        get("/streams/bad").then().statusCode(404);
        given().auth().oauth2(FleetToken.TEST).when().delete("/streams/demo").then().statusCode(204);
    }
}
