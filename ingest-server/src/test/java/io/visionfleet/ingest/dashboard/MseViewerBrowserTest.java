package io.visionfleet.ingest.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.testing.FleetToken;
import io.visionfleet.common.testing.Marionette;
import io.visionfleet.ingest.testing.OnPath;
import io.visionfleet.ingest.testing.PacedFeed;
import io.visionfleet.ingest.testing.ReferenceClip;
import io.visionfleet.ingest.testing.ResultsForEveryPicture;
import io.visionfleet.ingest.testing.TestMedia;
import io.visionfleet.ingest.testing.WsClient;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The page's Media Source Extensions player in real headless browsers, on opencv-doc's vtest.avi (a real camera's
 * pedestrians) re-encoded as a live source sends it, with a result for every picture on the real broker:
 * Debian's Chromium plays H.264 through MSE when asked to ({@code ?player=mse}); Debian's Firefox ESR, whose
 * WebCodecs has no H.265 decoder, starts on WebCodecs for H.264, moves to MSE on its own when the stream turns H.265,
 * and stays on MSE, re-initialised, when it turns H.264 again. Each time the pictures change, the objects of each
 * picture's capture_ts are drawn on it, and {@code window.fleetPlayer.stats()} and the status line say which player
 * shows what. The page logs in with the credential in the link's fragment (a wrong one opens the login dialog with
 * the reason) and takes it out of the address; it keeps no token anywhere, the session cookie standing for it.
 */
@QuarkusTest
@Tag("integration")
class MseViewerBrowserTest {
    private static final Duration WITHIN = Duration.ofSeconds(40);
    private static final int WIDTH = 640;
    private static final int HEIGHT = 360;

    @Test
    void chromiumPlaysH264ThroughMseWithEachPicturesObjectsOnIt() throws Exception {
        Optional<String> chromium = OnPath.find("chromium");
        Optional<String> driver = OnPath.find("chromedriver");
        Assumptions.assumeTrue(chromium.isPresent() && driver.isPresent(), "Debian's chromium and chromium-driver are not installed");
        ReferenceClip clip = ReferenceClip.reencoded(TestMedia.vtest(), false, WIDTH, HEIGHT, 15, 30, 90);
        String stream = "mse-h264";
        ChromeDriver browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File(driver.get())).build(),
                new ChromeOptions().setBinary(chromium.get()).addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
                        "--autoplay-policy=no-user-gesture-required"));
        try (WsClient publisher = WsClient.connect("/ws/video/" + stream); PacedFeed feeding = PacedFeed.over(publisher, clip);
             ResultsForEveryPicture results = ResultsForEveryPicture.of(stream, WIDTH, HEIGHT)) {
            // a wall screen's link: stream, player and a credential in the fragment, which no server sees
            String page = "http://localhost:" + WsClient.httpPort() + "/?stream=" + stream;
            browser.get(page + "#key=not-the-token");
            await().atMost(WITHIN).until(() -> Boolean.TRUE.equals(browser.executeScript("return document.getElementById('login-dialog').open"))
                    && browser.findElement(By.id("login-reason")).getText().contains("wrong token"));
            assertThat(browser.getCurrentUrl()).as("taken out of the address").doesNotContain("not-the-token");
            browser.get(page + "&player=mse#key=" + FleetToken.TEST);
            await().atMost(WITHIN).until(() -> "operator".equals(browser.findElement(By.id("role")).getText()));
            assertThat(browser.executeScript("return document.getElementById('login-dialog').open")).as("not asked").isEqualTo(false);
            assertThat(browser.getCurrentUrl()).as("taken out of the address").doesNotContain(FleetToken.TEST)
                    .endsWith("?stream=" + stream + "&player=mse");
            assertThat((String) browser.executeScript("return JSON.stringify([document.cookie, Object.entries(localStorage),"
                    + " Object.entries(sessionStorage)])")).as("no token kept by the page").doesNotContain(FleetToken.TEST)
                    .doesNotContain("fleet_session");
            Callable<JsonNode> live = () -> json((String) browser.executeScript("return JSON.stringify(window.dashboard?.live ?? {})"));
            Callable<JsonNode> stats = () -> json((String) browser.executeScript("return JSON.stringify(window.fleetPlayer?.stats() ?? {})"));
            Callable<String> canvas = () -> (String) browser.executeScript(CANVAS_DIGEST);
            plays("Chromium " + browser.getCapabilities().getBrowserVersion(), stats, live, canvas, "mse", "avc1\\.64[0-9a-f]{4}");
            assertThat(browser.findElement(By.id("video-mode")).getText()).startsWith("mse · H.264 (avc1.64")
                    .contains(WIDTH + "x" + HEIGHT).contains("frames shown").contains("capture→shown p50");
        } finally {
            browser.quit();
        }
    }

    @Test
    void firefoxMovesFromWebCodecsToMseWhenTheStreamTurnsH265AndBack() throws Exception {
        Optional<String> firefox = OnPath.find("firefox-esr");
        Assumptions.assumeTrue(firefox.isPresent(), "Debian's firefox-esr is not installed");
        ReferenceClip h264 = ReferenceClip.reencoded(TestMedia.vtest(), false, WIDTH, HEIGHT, 15, 30, 60);
        ReferenceClip h265 = ReferenceClip.reencoded(TestMedia.vtest(), true, WIDTH, HEIGHT, 15, 30, 90);
        String stream = "mse-turns-h265";
        try (Marionette browser = Marionette.start(firefox.get(), Files.createTempDirectory(TestMedia.dir(), "firefox"), Map.of("media.autoplay.default", 0));
             ResultsForEveryPicture results = ResultsForEveryPicture.of(stream, WIDTH, HEIGHT)) {
            Callable<JsonNode> live = () -> json(browser.execute("return JSON.stringify(window.dashboard?.live ?? {})").asText());
            Callable<JsonNode> stats = () -> json(browser.execute("return JSON.stringify(window.fleetPlayer?.stats() ?? {})").asText());
            Callable<String> canvas = () -> browser.execute(CANVAS_DIGEST).asText();
            String version = browser.version();
            // one drone connection whose codec changes mid-stream, as a phone switching encoders does
            try (WsClient publisher = WsClient.connect("/ws/video/" + stream)) {
                try (PacedFeed feeding = PacedFeed.over(publisher, h264)) {
                    browser.navigate("http://localhost:" + WsClient.httpPort() + "/?stream=" + stream + "#key=" + FleetToken.TEST);
                    plays(version, stats, live, canvas, "webcodecs", "avc1\\.64[0-9a-f]{4}");
                }
                long shownBefore = stats.call().path("framesShown").asLong();
                try (PacedFeed feeding = PacedFeed.over(publisher, h265)) {
                    await().atMost(WITHIN).until(() -> stats.call().path("codec").asText().startsWith("hvc1."));
                    plays(version, stats, live, canvas, "mse", "hvc1\\.1\\.6\\.L\\d+\\.90");
                    assertThat(live.call().path("passedOver").path("webcodecs").asText()).startsWith("cannot decode hvc1.");
                    assertThat(browser.execute("return document.getElementById('video-notice').hidden").asBoolean())
                            .as("no MJPEG notice while MSE plays").isTrue();
                    assertThat(stats.call().path("framesShown").asLong()).isGreaterThan(shownBefore + 30);
                }
                // back to H.264: MSE, now in use, plays it too, on a MediaSource made afresh for the new codec
                try (PacedFeed feeding = PacedFeed.over(publisher, h264)) {
                    await().atMost(WITHIN).until(() -> stats.call().path("codec").asText().startsWith("avc1."));
                    plays(version, stats, live, canvas, "mse", "avc1\\.64[0-9a-f]{4}");
                }
            }
        }
    }

    /**
     * The page shows the stream with {@code player}: more than 30 pictures shown at the clip's size, the picture
     * changing, the object of each picture's result drawn on it, and latency figures kept.
     */
    private static void plays(String browser, Callable<JsonNode> stats, Callable<JsonNode> live, Callable<String> canvas,
                              String player, String codec) throws Exception {
        long start = stats.call().path("framesShown").asLong();
        await().atMost(WITHIN).until(() -> stats.call().path("player").asText().equals(player)
                && stats.call().path("framesShown").asLong() > start + 30);
        JsonNode shown = stats.call();
        System.out.printf("%s: %s%n  live: %s%n", browser, shown, live.call());
        assertThat(shown.path("codec").asText()).matches(codec);
        assertThat(shown.path("width").asInt()).isEqualTo(WIDTH);
        assertThat(shown.path("height").asInt()).isEqualTo(HEIGHT);
        assertThat(shown.path("latencyMs").path("p50").isNumber()).as("capture→shown measured").isTrue();
        String first = canvas.call();
        await().atMost(WITHIN).until(() -> !canvas.call().equals(first));
        await().atMost(WITHIN).until(() -> live.call().path("objectsDrawn").toString().contains(String.valueOf(ResultsForEveryPicture.OBJECT_ID)));
        assertThat(live.call().path("latency").path("count").asInt()).as("pictures drawn with the result of their own capture_ts")
                .isPositive();
        assertThat(live.call().has("error")).as("no decoder error: %s", live.call().path("error")).isFalse();
    }

    /** A digest of the live canvas's pixels, to see the picture change. */
    private static final String CANVAS_DIGEST = """
            const c = document.getElementById('video'), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let h = 0;
            for (let i = 0; i < d.length; i += 97) h = (h * 31 + d[i]) | 0;
            return String(h);""";

    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }
}
