package io.visionfleet.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.testing.Marionette;
import io.visionfleet.common.testing.SystemFfmpeg;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An H.265 drone in Debian's headless Firefox ESR, whose WebCodecs has no HEVC decoder, against {@code ./fleet up}
 * with frame-processor and storage-service: the live view plays through MSE with frame-processor's objects drawn on
 * their pictures, and a closed recording (an {@code hvc1} MP4 from storage-service) plays in the recordings panel with
 * its archived objects. The drone sends opencv-doc's vtest.avi (pedestrians) re-encoded by libx265. The page is a wall
 * screen's: a link with the viewer's token in its fragment, which the page trades for a session cookie; it shows
 * everything, offers no control and is refused one, and no request it made carried a credential in its URL.
 */
@Tag("integration")
class FirefoxH265FleetTest {
    private static final Duration WITHIN = Duration.ofMinutes(2);
    private static final String TOKEN = "firefox-test-token";
    private static final Path VTEST = Path.of("/usr/share/doc/opencv-doc/examples/data/vtest.avi");

    @Test
    void liveVideoAndARecordingOfAnH265DronePlayWithTheirObjects() throws Exception {
        String firefox = CommandLine.require("install Debian's firefox-esr", "firefox-esr");
        Assumptions.assumeTrue(Files.exists(VTEST), "opencv-doc's vtest.avi is not installed");
        Path work = Files.createDirectories(Path.of("target", "firefox-h265").toAbsolutePath());
        Path clip = SystemFfmpeg.reencode(VTEST, true, 640, 360, 15, 300, work.resolve("vtest.h265"));
        LocalFleet fleet = new LocalFleet("ffx" + System.currentTimeMillis() % 1_000_000, 16620, 24605, work.resolve("fleet"),
                Map.of("JAVA_OPTS", "-Xmx384m", "FLEET_DRONE_ARGS", "--file " + clip + " --fps 15",
                        "FLEET_STORAGE_SEGMENT_LENGTH", "5s", "FLEET_API_TOKEN", TOKEN,
                        "FLEET_SERVICES", "frame-processor storage-service", LocalFleet.ACCESS_LOG.getKey(),
                        LocalFleet.ACCESS_LOG.getValue()));
        Repo.applications().forEach(Repo::runJar);
        try {
            LocalFleet.Result started = fleet.fleet(Duration.ofMinutes(5), "up");
            assertThat(started.exit()).as(started.output()).isZero();
            String viewer = fleet.viewerToken();
            try (Marionette browser = Marionette.start(firefox, Files.createTempDirectory(work, "profile"),
                    Map.of("media.autoplay.default", 0))) {
                browser.navigate("http://localhost:" + fleet.httpPort("ingest-server") + "/?stream=" + fleet.stream + "#key=" + viewer);
                await().atMost(WITHIN).until(() -> "viewer: view only".equals(browser.execute("return document.getElementById('role').textContent").asText()));
                assertThat(browser.execute("return location.href").asText()).as("the key taken out of the address").doesNotContain(viewer);
                assertThat(browser.execute("return document.getElementById('login-dialog').open").asBoolean()).as("not asked").isFalse();
                await().atMost(WITHIN).until(() -> json(browser, "window.fleetPlayer?.stats()").path("framesShown").asLong() > 30);
                JsonNode live = json(browser, "window.fleetPlayer.stats()");
                System.out.println(browser.version() + " live: " + live);
                assertThat(live.path("player").asText()).as("WebCodecs cannot, MSE can").isEqualTo("mse");
                assertThat(live.path("codec").asText()).startsWith("hvc1.");
                assertThat(live.path("width").asInt()).isEqualTo(640);
                await().atMost(WITHIN).until(() -> json(browser, "window.dashboard.live").path("latency").path("count").asInt() > 0);

                await().atMost(WITHIN).until(() -> browser.execute("return document.querySelectorAll('#timeline .segment').length").asInt() > 0);
                browser.execute("document.querySelector('#timeline .segment').click(); return true");
                await().atMost(WITHIN).until(() -> browser.execute("return document.getElementById('recording').currentTime").asDouble() > 1.0
                        || json(browser, "window.dashboard.recording").hasNonNull("error"));
                JsonNode recording = json(browser, "window.dashboard.recording");
                assertThat(recording.path("error").isNull()).as("the recording plays: %s", recording).isTrue();
                assertThat(browser.execute("return document.getElementById('recording').videoWidth").asInt()).isEqualTo(640);
                assertThat(browser.execute("return document.getElementById('recording').getVideoPlaybackQuality().totalVideoFrames")
                        .asInt()).isPositive();
                await().atMost(WITHIN).until(() -> json(browser, "window.dashboard.recording").path("overlaysDrawn").asLong() > 0);
                System.out.println("recording: " + json(browser, "window.dashboard.recording"));
                viewerHasNoControl(browser, fleet.stream);
            }
            // the page's requests as the access logs have them (its sockets are not there: DashboardBrowserTest
            // checks those in Chromium)
            List<String> requests = fleet.requireNoCredentialInRequestUrls(TOKEN, viewer);
            assertThat(requests).anyMatch(r -> r.equals("/auth/session")).anyMatch(r -> r.endsWith(".mp4"));
        } finally {
            fleet.downAndCheck();
        }
    }

    /** Every control of the page is disabled, saying it needs the operator, and a control request the page makes is refused. */
    private static void viewerHasNoControl(Marionette browser, String stream) throws IOException {
        JsonNode controls = json(browser, "[...document.querySelectorAll('[data-control]')].map(e => ({tag: e.tagName,"
                + " disabled: e.disabled === true, title: e.title}))");
        assertThat(controls.size()).as("canvas, PTZ mode, joystick, presets").isGreaterThanOrEqualTo(13);
        for (JsonNode control : controls) {
            assertThat(control.path("title").asText()).as("%s", control).contains("operator token");
            assertThat(control.path("disabled").asBoolean() || control.path("tag").asText().equals("CANVAS")).as("%s", control).isTrue();
        }
        // the page's own send (imported into Marionette's script, whose realm evaluates api.js once more)
        browser.execute("window.controlAnswer = null; import('/js/api.js').then(({ send }) => send('PUT', '/api/processor/streams/"
                + stream + "/mode', { mode: 'interactive' })).then(a => { window.controlAnswer = a; }); return true");
        await().atMost(WITHIN).until(() -> json(browser, "window.controlAnswer").has("status"));
        JsonNode answer = json(browser, "window.controlAnswer");
        assertThat(answer.path("status").asInt()).as("a mode change on the viewer's session: %s", answer).isEqualTo(403);
        assertThat(browser.execute("return document.getElementById('notice').textContent").asText())
                .contains("the viewer token may watch and read, not change anything");
    }

    private static JsonNode json(Marionette browser, String expression) throws IOException {
        return Json.MAPPER.readTree(browser.execute("return JSON.stringify(" + expression + " ?? {})").asText());
    }
}
