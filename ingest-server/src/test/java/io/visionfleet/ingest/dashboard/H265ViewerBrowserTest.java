package io.visionfleet.ingest.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.testing.FleetToken;
import io.visionfleet.ingest.testing.OnPath;
import io.visionfleet.ingest.testing.PacedFeed;
import io.visionfleet.ingest.testing.ReferenceClip;
import io.visionfleet.ingest.testing.WsClient;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard page in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) watching an
 * H.265 stream from libx265. What the page does depends on what the browser's WebCodecs reports for the announced
 * {@code hvc1} codec, so the test asserts whichever it says: supported, pictures are decoded and drawn; not supported
 * (Debian's Chromium has no software HEVC decoder), the page says so plainly, offers frame-processor's MJPEG overlay
 * and never hands a picture to a decoder.
 */
@QuarkusTest
@Tag("integration")
class H265ViewerBrowserTest {
    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final String STREAM = "hevc-view";

    @Test
    void thePagePlaysH265OrSaysItCannotAndOffersTheOverlay() throws Exception {
        Optional<String> chromium = OnPath.find("chromium");
        Optional<String> driver = OnPath.find("chromedriver");
        Assumptions.assumeTrue(chromium.isPresent() && driver.isPresent(), "Debian's chromium and chromium-driver are not installed");
        ReferenceClip clip = ReferenceClip.x265(320, 240, 30, 30, 60, 1);
        ChromeDriver browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File(driver.get())).build(),
                new ChromeOptions().setBinary(chromium.get()).addArguments("--headless=new", "--no-sandbox", "--disable-gpu"));
        try (WsClient publisher = WsClient.connect("/ws/video/" + STREAM); PacedFeed feeding = PacedFeed.over(publisher, clip)) {
            // logged in by the link (the page asks for a token even where reads are open, as in this profile)
            browser.get("http://localhost:" + WsClient.httpPort() + "/?stream=" + STREAM + "#key=" + FleetToken.TEST);
            await().atMost(WITHIN).until(() -> live(browser).has("codecSupported"));
            JsonNode live = live(browser);
            assertThat(live.path("codec").asText()).as("Main profile, compatible with Main and Main10, progressive")
                    .matches("hvc1\\.1\\.6\\.L\\d+\\.90");
            System.out.printf("H.265 viewer: Chromium %s says %s supported%n", browser.getCapabilities().getBrowserVersion(),
                    live.path("codec").asText() + (live.path("codecSupported").asBoolean() ? " is" : " is not"));
            if (live.path("codecSupported").asBoolean()) {
                await().atMost(WITHIN).until(() -> live(browser).path("framesDrawn").asLong() > 15);
                assertThat(live(browser).path("mode").asText()).isEqualTo("webcodecs");
            } else {
                WebElement notice = browser.findElement(By.id("video-notice"));
                await().atMost(WITHIN).until(notice::isDisplayed);
                assertThat(notice.getText()).startsWith("this browser cannot decode H.265 (" + live.path("codec").asText() + ")")
                        .contains("overlay video (MJPEG");
                assertThat(browser.findElement(By.id("video-notice-overlay")).getAttribute("href"))
                        .endsWith("/api/processor/streams/" + STREAM + "/overlay.mjpeg");
                JsonNode after = live(browser);
                assertThat(after.path("mode").asText()).isEqualTo("mjpeg");
                assertThat(after.path("framesDecoded").asLong()).as("no picture decoded").isZero();
            }
            assertThat(live(browser).has("error")).as("no decoder error").isFalse();
        } finally {
            browser.quit();
        }
    }

    /** window.dashboard.live as JSON, or an empty object before the page follows the stream. */
    private static JsonNode live(ChromeDriver browser) throws Exception {
        return Json.MAPPER.readTree((String) browser.executeScript("return JSON.stringify(window.dashboard?.live ?? {})"));
    }
}
