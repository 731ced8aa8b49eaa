package io.visionfleet.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.rtsp.FfmpegRelayReference;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, driven by
 * Selenium) against a real fleet started with {@code ./fleet up} and its synthetic drone stream: the page asks for a
 * token; the viewer's ({@code ./fleet token --viewer}) shows the WebCodecs video, changing pictures with the objects
 * drawn on them, and no working control; when that session expires the page asks again, and the operator, logged in
 * once, makes a click and a dragged box on moving objects into tracked objects drawn with their ids; the PTZ joystick
 * moves the simulated camera, a recording plays, the SLAM panel plots a trajectory, and the page accounts for every
 * picture it receives; no URL the browser asked for carried a credential, and logging out ends the session.
 * Screenshots go to {@code target/screenshots}. How fast all that is depends on the machine's load, so it is measured, not asserted:
 * the figures (capture to overlay latency and its hops, frame rates, prompt to drawn) are printed and written to
 * {@code target/dashboard-figures.txt}, and every wait has a deadline far above them. The drone's format is
 * {@code -Ddashboard.drone-args} (default 640x360 at 15 fps; docs/benchmarks.md also has 1280x720 at 30).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("integration")
class DashboardBrowserTest {
    /** For what the fleet takes seconds to do on an idle machine (pictures, results, recordings): far above that. */
    private static final Duration WITHIN = Duration.ofMinutes(2);
    /** For the page's or a service's reaction to one action (a click, a request): immediate on an idle machine. */
    private static final Duration SOON = Duration.ofSeconds(30);
    /** For monocular SLAM to start a map from the PTZ camera's view: 18-30 s measured on an idle machine. */
    private static final Duration SLAM_START = Duration.ofMinutes(3);
    private static final String TOKEN = "dashboard-test-token";
    private static final String DRONE_ARGS = System.getProperty("dashboard.drone-args", "--width 640 --height 360 --fps 15");
    /** The page's player, {@code -Ddashboard.player=mse} (or webcodecs, mjpeg); by default the page picks, WebCodecs here. */
    private static final String PLAYER = System.getProperty("dashboard.player", "auto");
    /** Services besides ingest-server, {@code -Ddashboard.services} (all by default; the latency benchmark runs one). */
    private static final String SERVICES = System.getProperty("dashboard.services",
            "frame-processor slam-service storage-service ptz-service");
    private static final LocalFleet FLEET = new LocalFleet("dash" + System.currentTimeMillis() % 1_000_000, 16420, 24505,
            Path.of("target", "fleet-dashboard"), Map.of("JAVA_OPTS", "-Xmx384m", "FLEET_DRONE_ARGS", DRONE_ARGS,
            "FLEET_STORAGE_SEGMENT_LENGTH", "5s", "FLEET_API_TOKEN", TOKEN, "FLEET_SERVICES", SERVICES,
            LocalFleet.ACCESS_LOG.getKey(), LocalFleet.ACCESS_LOG.getValue()));
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    /** The figures of this run (docs/benchmarks.md has those of earlier ones). */
    private static final Path FIGURES = Path.of("target", "dashboard-figures.txt");
    private static final String PROMPTS = "/api/processor/streams/" + FLEET.stream;
    /** Objects the tests prompted, which later prompts leave alone. */
    private static final Set<Long> PROMPTED = new HashSet<>();

    private static ChromeDriver browser;
    private static boolean up;
    /** The viewer's token, as {@code ./fleet token --viewer} prints it. */
    private static String viewerToken;

    @BeforeAll
    static void fleetAndBrowser() throws Exception {
        String chromium = CommandLine.require("install Debian's chromium", "chromium", "chromium-browser");
        String driver = CommandLine.require("install Debian's chromium-driver", "chromedriver");
        Repo.applications().forEach(Repo::runJar);
        up = true; // from here on ./fleet down runs after the tests, whatever up does
        LocalFleet.Result started = FLEET.fleet(Duration.ofMinutes(5), "up");
        assertThat(started.exit()).as(started.output()).isZero();
        viewerToken = FLEET.viewerToken();
        assertThat(viewerToken).isNotBlank().isNotEqualTo(TOKEN);
        ChromeOptions options = new ChromeOptions().setBinary(chromium).addArguments("--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-background-networking", "--window-size=1400,1100",
                "--autoplay-policy=no-user-gesture-required");
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File(driver)).build(), options);
        // the URL of every socket the page opens, kept from the start of every document (Quarkus's access log, where
        // every other request of the page is checked, has no line for an upgraded request)
        browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.<String, Object>of("source", RECORD_SOCKETS));
        Files.createDirectories(SCREENSHOTS);
        Files.deleteIfExists(FIGURES);
    }

    @AfterAll
    static void down() throws Exception {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            if (up) {
                FLEET.downAndCheck();
            }
        }
    }

    @Test
    @Order(1)
    void thePageAsksForATokenAndAViewerLogsIn() {
        browser.get("http://localhost:" + FLEET.httpPort("ingest-server") + "/?player=" + PLAYER + "#" + FLEET.stream);
        assertThat(browser.getTitle()).isEqualTo("Vision Fleet");
        // every read needs the viewer's or the operator's token: the page asks for one before it reads anything
        assertThat(js("return document.getElementById('login-dialog').open")).isEqualTo(true);
        assertThat(browser.findElement(By.id("role")).getText()).isEqualTo("not logged in");
        screenshot("00-login");
        logIn("not-the-token");
        await().atMost(SOON).until(() -> browser.findElement(By.id("login-reason")).getText().contains("wrong token"));
        assertThat(js("return document.getElementById('login-dialog').open")).as("asked again").isEqualTo(true);
        logIn(viewerToken);
        await().atMost(SOON).until(() -> Boolean.FALSE.equals(js("return document.getElementById('login-dialog').open")));
        assertThat(browser.findElement(By.id("role")).getText()).isEqualTo("viewer: view only");
        assertThat(js("return window.dashboard.session.role")).isEqualTo("viewer");
        requireNoTokenKept();
        await().atMost(WITHIN).until(() -> !browser.findElements(By.cssSelector("#streams tr[data-stream='" + FLEET.stream + "']")).isEmpty());
        assertThat(js("return window.dashboard.selected")).isEqualTo(FLEET.stream);
        screenshot("01-loaded");
    }

    @Test
    @Order(2)
    void theVideoShowsPicturesThatChange() {
        await().atMost(WITHIN).until(() -> live().path("frames_drawn").asLong() > 15);
        assertThat(live().path("mode").asText()).isEqualTo(PLAYER.equals("auto") ? "webcodecs" : PLAYER);
        JsonNode first = picture();
        assertThat(first.path("lit").asDouble()).as("share of non-black pixels").isGreaterThan(0.3);
        await().atMost(SOON).until(() -> !picture().path("hash").equals(first.path("hash")));
        screenshot("02-video");
    }

    @Test
    @Order(3)
    void objectsAreDrawnOnThePicturesTheyBelongTo() {
        await().atMost(WITHIN).until(() -> live().path("objects_drawn").size() > 0
                && live().path("latency").path("count").asInt() > 10);
        assertThat(live().path("overlays_drawn").asLong()).isPositive();
        screenshot("03-overlays");
    }

    @Test
    @Order(4)
    void aViewerSeesEveryControlDisabledAndIsRefusedControl() throws Exception {
        // the viewer watched the video and its objects above; every control is disabled and says what it needs
        List<WebElement> controls = browser.findElements(By.cssSelector("[data-control]"));
        assertThat(controls).as("prompting canvas, PTZ mode, joystick (7), presets (4)").hasSizeGreaterThanOrEqualTo(13);
        for (WebElement control : controls) {
            assertThat(control.getAttribute("title")).as("%s's title", control.getTagName()).contains("operator token");
            if (!control.getTagName().equals("canvas")) {
                assertThat(control.isEnabled()).as("%s %s enabled", control.getTagName(), control.getText()).isFalse();
            }
        }
        // a click and a drag on the picture make no request at all
        assertThat(json((String) js(REQUESTS_OF_A_CLICK_AND_A_DRAG))).as("requests the gestures made").isEmpty();
        // a control request the page can make, on the viewer's session: refused, and the notice line says why
        for (String[] call : List.of(new String[]{"PUT", PROMPTS + "/mode", "{\"mode\":\"interactive\"}"},
                new String[]{"POST", PROMPTS + "/prompts", "{\"points\":[{\"x\":10,\"y\":10,\"positive\":true}]}"})) {
            assertThat(pageSend(call[0], call[1], call[2])).as("%s %s as the viewer", call[0], call[1]).isEqualTo(403);
            assertThat(browser.findElement(By.id("notice")).getText()).contains("403")
                    .contains("the viewer token may watch and read, not change anything");
        }
        assertThat(js("return document.getElementById('login-dialog').open")).as("a 403 asks for no other token").isEqualTo(false);
        screenshot("04-viewer");
    }

    @Test
    @Order(5)
    void anOperatorLogsInOnceAndAClickOnAMovingObjectTracksIt() throws Exception {
        JsonNode refused = request("PUT", PROMPTS + "/mode", "{\"mode\":\"interactive\"}", Map.of(), false);
        assertThat(refused.path("status").asInt()).as("control without any credential").isEqualTo(401);
        assertThat(json(refused.path("body").asText()).path("message").asText()).startsWith("missing credential");
        // the viewer's session expires (a ticket past its time in its place): the page's next call is refused, and the
        // dialog says why and asks again; the controls stay off meanwhile
        browser.manage().addCookie(new Cookie.Builder("fleet_session", "v1.viewer.1000.AAAA").path("/").isHttpOnly(true).build());
        await().atMost(SOON).until(() -> Boolean.TRUE.equals(js("return document.getElementById('login-dialog').open")));
        assertThat(browser.findElement(By.id("login-reason")).getText()).contains("session expired");
        assertThat(browser.findElement(By.id("role")).getText()).isEqualTo("not logged in");
        screenshot("05-expired");
        logIn(TOKEN);
        await().atMost(SOON).until(() -> Boolean.FALSE.equals(js("return document.getElementById('login-dialog').open")));
        assertThat(browser.findElement(By.id("role")).getText()).isEqualTo("operator");
        requireNoTokenKept();
        for (WebElement control : browser.findElements(By.cssSelector("[data-control]"))) {
            assertThat(control.isEnabled()).as("%s %s enabled", control.getTagName(), control.getText()).isTrue();
            assertThat(control.getAttribute("title")).doesNotContain("operator token");
        }
        // the session cookie alone does not change anything: a request from another page of the same site (another
        // port of localhost) carries it too, but cannot add the page's X-Requested-With without the browser asking
        JsonNode forged = request("PUT", PROMPTS + "/mode", "{\"mode\":\"interactive\"}", Map.of("Content-Type", "application/json"), true);
        assertThat(forged.path("status").asInt()).as("the cookie without X-Requested-With: %s", forged).isEqualTo(403);
        assertThat(pageSend("PUT", PROMPTS + "/mode", "{\"mode\":\"interactive\"}")).as("the page's own request").isEqualTo(200);
        await().atMost(WITHIN).until(() -> live().path("frames_drawn").asLong() > 0);
        promptAndSeeItDrawn("a click on", false, "04-clicked");
    }

    @Test
    @Order(6)
    void aBoxDrawnAroundAMovingObjectTracksIt() throws Exception {
        promptAndSeeItDrawn("a box drawn around", true, "05-box");
    }

    /**
     * Makes {@code gesture} on a moving object not prompted yet until frame-processor answers with an object, then
     * requires that object drawn with its id (how long after the mouse release is a printed figure: 240-570 ms on an
     * idle machine, docs/benchmarks.md, and the machine's load decides it). Automatic mode publishes the moving
     * objects: the test takes one, switches to interactive mode, which publishes only prompted objects, and makes the
     * gesture where the object is on the picture on the screen at that moment. The answer either starts a new object
     * or selects the one the engine was following unpublished; either way it is new on the picture.
     */
    private static void promptAndSeeItDrawn(String gestureName, boolean drag, String shot) throws Exception {
        long id = -1;
        long released = 0;
        List<String> answers = new ArrayList<>();
        for (int attempt = 0; attempt < 15 && id < 0; attempt++) {
            assertThat(fetch("PUT", PROMPTS + "/mode", "{\"mode\":\"automatic\"}", TOKEN).path("status").asInt()).isEqualTo(200);
            JsonNode target = lastMovingBox();
            if (!target.has("bbox")) {
                continue;
            }
            assertThat(fetch("PUT", PROMPTS + "/mode", "{\"mode\":\"interactive\"}", TOKEN).path("status").asInt()).isEqualTo(200);
            long before = (Long) js("return window.dashboard.prompts.length");
            recordObjectsDrawn();
            JsonNode made = gesture(target, drag);
            released = System.nanoTime();
            if (made.has("skipped")) {
                answers.add("skipped: " + made);
                continue;
            }
            await().atMost(SOON).until(() -> ((Long) js("return window.dashboard.prompts.length")) > before);
            JsonNode answer = Json.MAPPER.readTree((String) js("return JSON.stringify(window.dashboard.prompts.at(-1))"));
            assertThat(answer.path("request").path("capture_ts").asLong()).as("the prompt names the picture on the screen: %s",
                    answer).isEqualTo(made.path("shown").asLong());
            double[] box = Json.MAPPER.convertValue(made.path("box"), double[].class);
            answers.add(diagnosis(answer, target, made.path("shown").asLong(), box));
            long answered = answer.path("answer").path("object_id").asLong();
            if (answer.path("status").asInt() == 200 && answered > 0 && !PROMPTED.contains(answered)) {
                id = answered; // an object already prompted by an earlier test would be on the picture anyway
            }
        }
        assertThat(id).as("%s a moving object selected one; answers: %s", gestureName, answers).isPositive();
        PROMPTED.add(id);
        long prompted = id;
        try {
            await().atMost(WITHIN).until(() -> containsId(objectsDrawnSinceRecording(), prompted));
        } catch (ConditionTimeoutException e) {
            JsonNode now = live();
            throw new AssertionError(String.format("%s object #%d not drawn within %s of its answer %s; the page now"
                    + " draws %s on the picture captured at %d (%d ms ago), capture->overlay p95 %s ms; frame-processor"
                    + " publishes %s", gestureName, id, WITHIN, answers.get(answers.size() - 1), now.path("objects_drawn"),
                    now.path("last_capture_ts").asLong(), System.currentTimeMillis() - now.path("last_capture_ts").asLong(),
                    now.path("latency").path("p95"), publishedIds()), e);
        }
        long drawnMs = Duration.ofNanos(System.nanoTime() - released).toMillis();
        figure(String.format("%s object #%d: drawn %d ms after the mouse was released%n", gestureName, id, drawnMs));
        System.out.printf("attempts:%n  %s%n", String.join("\n  ", answers));
        screenshot(shot);
    }

    @Test
    @Order(7)
    void theJoystickMovesTheSimulatedCamera() {
        await().atMost(WITHIN).until(() -> pan() != null);
        String following = (String) js("return window.dashboard.ptz.status.mode");
        // manual mode: the camera stops following targets, so only the joystick moves it
        ptzMode("manual");
        try {
            // each reference pan is taken at rest: a move still running would carry past it
            await().atMost(SOON).until(DashboardBrowserTest::atRest);
            double start = pan();
            joystick("1", "0");
            await().atMost(SOON).until(() -> atRest() && pan() > start + 2);
            screenshot("06-ptz-right");
            double right = pan();
            joystick("-1", "0");
            await().atMost(SOON).until(() -> pan() < right - 2);
            assertThat((Long) js("return window.dashboard.ptz.moves")).isGreaterThanOrEqualTo(2);
        } finally {
            // back to following targets: a camera left at rest gives monocular SLAM no motion to start a map from,
            // and the SLAM panel's test needs one (slam-service needed 18-30 s of the camera following to start)
            ptzMode(following);
        }
    }

    /** Sets the PTZ mode through the panel's select and waits until the camera's status says it. */
    private static void ptzMode(String mode) {
        js("const m = document.getElementById('ptz-mode'); m.value = arguments[0]; m.dispatchEvent(new Event('change'))", mode);
        await().atMost(SOON).until(() -> mode.equals(js("return window.dashboard.ptz.status.mode")));
    }

    /** The simulated camera's pan as the PTZ panel last read it (null before its first status). */
    private static Double pan() {
        Object pan = js("const s = window.dashboard.ptz.status; return s ? s.pan_deg : null");
        return pan == null ? null : ((Number) pan).doubleValue();
    }

    /** Whether the panel's last status says the camera is not moving. */
    private static boolean atRest() {
        return Boolean.FALSE.equals(js("const s = window.dashboard.ptz.status; return s ? s.moving : null"));
    }

    /** Presses the joystick button of this direction until a move was accepted (the panel counts accepted moves). */
    private static void joystick(String pan, String tilt) {
        long before = (Long) js("return window.dashboard.ptz.moves");
        browser.findElement(By.cssSelector("#joystick button[data-pan='" + pan + "'][data-tilt='" + tilt + "']")).click();
        await().atMost(SOON).until(() -> (Long) js("return window.dashboard.ptz.moves") > before);
    }

    @Test
    @Order(8)
    void aRecordingPlaysWithItsArchivedObjects() {
        await().atMost(WITHIN).until(() -> !browser.findElements(By.cssSelector("#timeline .segment")).isEmpty());
        js("document.querySelector('#timeline .segment').click()"); // the timeline re-renders as segments close
        await().atMost(WITHIN).until(() -> ((Number) js("return document.getElementById('recording').currentTime")).doubleValue() > 1.0);
        assertThat(js("return document.getElementById('recording').videoWidth")).isNotEqualTo(0L);
        // the segment's archived results are drawn over it as it plays
        assertThat((Long) js("return window.dashboard.recording.results")).isPositive();
        await().atMost(SOON).until(() -> (Long) js("return window.dashboard.recording.overlaysDrawn") > 0);
        screenshot("07-recording");
    }

    @Test
    @Order(10)
    void theSlamPanelPlotsTheLiveTrajectory() {
        // the PTZ camera's view of the simulated world has the texture monocular SLAM needs (the drone's flat
        // moving-shapes scene has none): select that stream
        js("document.querySelector(\"#streams tr[data-stream='" + FLEET.ptzStream() + "']\").click()");
        await().atMost(SOON).until(() -> FLEET.ptzStream().equals(js("return window.dashboard.selected")));
        try {
            await().atMost(SLAM_START).until(() -> (Long) js("return window.dashboard.slam.points") > 10);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("fewer than 11 SLAM points in " + SLAM_START + "; the panel: " + slamPanel(), e);
        }
        assertThat((String) js("return window.dashboard.slam.state")).isNotBlank();
        screenshot("09-slam");
    }

    /** The SLAM panel's figures (results per tracking state) and the PTZ camera's last status, as JSON. */
    private static String slamPanel() {
        return (String) js("return JSON.stringify({ slam: window.dashboard.slam, ptz: window.dashboard.ptz.status })");
    }

    @Test
    @Order(9)
    void latencyFromCaptureToOverlay() throws Exception {
        // measured over a window of received pictures once the fleet is warm (the earlier tests ran meanwhile)
        int pictures = Integer.getInteger("dashboard.measure-pictures", 300);
        // FFmpeg decoding the same relay stream over the same window: the reference for capture -> decoded
        FfmpegRelayReference ffmpeg = FfmpegRelayReference.decoding(FLEET.relayUrl());
        JsonNode before;
        JsonNode after;
        long start;
        try (ffmpeg) {
            await().atMost(WITHIN).until(() -> ffmpeg.timedPictures() > 30);
            before = live();
            js("window.dashboard.restartLatency()");
            ffmpeg.measuring(true);
            start = System.nanoTime();
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250))
                    .until(() -> count(live(), before, "frames_received") >= pictures);
            after = live();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long received = count(after, before, "frames_received"), drawn = count(after, before, "frames_drawn");
        long decoded = count(after, before, "frames_decoded"), superseded = count(after, before, "frames_skipped");
        long dropped = count(after, before, "decoder_drops") + count(after, before, "decoder_lost");
        long inFlight = after.path("queued").asLong() + after.path("decoding").asLong()
                - before.path("queued").asLong() - before.path("decoding").asLong();
        JsonNode hops = after.path("hops");
        String figures = String.format("drone %s, services %s: capture->overlay p50 %d ms, p95 %d ms over %d pictures; %d pictures "
                        + "received in %.1f s: received %.1f fps, decoded %.1f fps, drawn %.1f fps (%.1f %% of received); "
                        + "%d superseded at display, %d dropped before decoding%n"
                        + "hops (p50 / p95 / p99 ms, count): %s; arrived last: %d pictures, %d results%n"
                        + "reference, FFmpeg decoding the same relay stream in the same window: capture->decoded %s%n",
                DRONE_ARGS + ", player " + after.path("mode").asText() + " (capture->shown p50 "
                        + after.path("shown_latency").path("p50").asText() + " ms, p95 " + after.path("shown_latency").path("p95").asText()
                        + " ms)", SERVICES, after.path("latency").path("p50").asLong(), after.path("latency").path("p95").asLong(),
                after.path("latency").path("count").asInt(), received, seconds, received / seconds,
                decoded / seconds, drawn / seconds, 100.0 * drawn / received,
                superseded, dropped, hopTable(hops), hops.path("last_arrived").path("picture").asLong(),
                hops.path("last_arrived").path("result").asLong(), ffmpeg.summary());
        figure(figures);
        // the latency, its hops and the rates are figures (docs/benchmarks.md): the machine's load decides them. What
        // holds at any load: overlays were drawn on their own pictures, and with latest frame wins (a picture
        // superseded by a newer one before a display refresh is never drawn) every received picture is drawn,
        // superseded, dropped by a decoder that is behind (or by the decoder itself), or still on its way (in the
        // decoder or waiting for its result)
        assertThat(after.path("latency").path("count").asInt()).as("overlays drawn on their pictures: %s", figures).isPositive();
        if (after.path("mode").asText().equals("webcodecs")) { // MSE: the video element may leave out pictures unseen
            assertThat(drawn + superseded + dropped + inFlight).as("every received picture accounted for: %s", figures)
                    .isEqualTo(received);
        }
    }

    /** Prints a figure measured in the page and appends it to {@link #FIGURES}. */
    private static void figure(String text) throws IOException {
        System.out.print("dashboard: " + text);
        Files.writeString(FIGURES, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Each hop of {@code window.dashboard.live.hops} as {@code name p50 / p95 / p99 (count)}. */
    private static String hopTable(JsonNode hops) {
        List<String> rows = new ArrayList<>();
        hops.fields().forEachRemaining(h -> {
            if (h.getValue().has("p50")) {
                rows.add(String.format("%s %s / %s / %s (%d)", h.getKey(), h.getValue().path("p50").asText(),
                        h.getValue().path("p95").asText(), h.getValue().path("p99").asText(), h.getValue().path("count").asInt()));
            }
        });
        return String.join(", ", rows);
    }

    private static long count(JsonNode after, JsonNode before, String counter) {
        return after.path(counter).asLong() - before.path(counter).asLong();
    }

    @Test
    @Order(11)
    void masksAreDrawnWhereTheirRunsSayScaledToTheCanvas() throws IOException {
        // overlay.js on a blank 80x60 canvas, frame 40x30 drawn at scale 2, masks in COCO RLE (column-major):
        // object 1 is the rectangle of rows 5-9, columns 10-19, its counts compressed as pycocotools writes them
        // (305, then (5, 25) nine times, 5, 620); object 2 one run, sent as an array, that wraps from (row 25,
        // column 35) to (row 4, column 36); their boxes and labels sit in the bottom-right corner, away from the probes
        String text = (String) ((JavascriptExecutor) browser).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "import('/js/overlay.js').then(({ drawObjects }) => {"
                + " const c = new OffscreenCanvas(80, 60), ctx = c.getContext('2d');"
                + " const mask = counts => ({ size: [30, 40], counts });"
                + " drawObjects(ctx, { width: 40, height: 30, objects: ["
                + "  { id: 1, bbox: [39, 29, 1, 1], mask: mask('a95i000000000000000000cb0') },"
                + "  { id: 2, bbox: [39, 29, 1, 1], mask: mask([1075, 10, 115]) }] }, 2, 2);"
                + " const at = (x, y) => Array.from(ctx.getImageData(2 * x + 1, 2 * y + 1, 1, 1).data);"
                + " done(JSON.stringify({ inside1: at(15, 7), corner1: at(10, 5), right1: at(20, 7), below1: at(15, 10),"
                + "  end2: at(35, 27), wrapped2: at(36, 2), after2: at(36, 6), empty: at(2, 2) }));"
                + "}, e => done(JSON.stringify({ error: String(e) })));");
        JsonNode px = Json.MAPPER.readTree(text);
        assertThat(px.has("error")).as(text).isFalse();
        for (String lit : List.of("inside1", "corner1", "end2", "wrapped2")) {
            assertThat(px.path(lit).path(3).asInt()).as("%s is tinted: %s", lit, text).isPositive();
        }
        for (String clear : List.of("right1", "below1", "after2", "empty")) {
            assertThat(px.path(clear).path(3).asInt()).as("%s is clear: %s", clear, text).isZero();
        }
        assertThat(px.path("inside1")).as("each object has its own colour").isNotEqualTo(px.path("end2"));
        assertThat(px.path("inside1")).isEqualTo(px.path("corner1"));
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    /** window.dashboard.live with snake_case keys, as JSON. */
    private static JsonNode live() {
        String text = (String) js("const l = window.dashboard.live; if (!l) return '{}';"
                + "return JSON.stringify(l, (k, v) => v); ");
        return snake(json(text));
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode snake(JsonNode node) {
        if (!node.isObject()) {
            return node;
        }
        var out = Json.MAPPER.createObjectNode();
        node.fields().forEachRemaining(e -> out.set(e.getKey().replaceAll("([A-Z])", "_$1").toLowerCase(), snake(e.getValue())));
        return out;
    }

    /** The share of non-black pixels on the video canvas and a hash of a sample of them. */
    private static JsonNode picture() {
        String text = (String) js("const c = document.getElementById('video');"
                + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let lit = 0, hash = 0, n = 0;"
                + "for (let i = 0; i < d.length; i += 4 * 97) { n++; if (d[i] + d[i+1] + d[i+2] > 30) lit++;"
                + " hash = (hash * 31 + d[i] + 7 * d[i+1] + 13 * d[i+2]) | 0; }"
                + "return JSON.stringify({lit: lit / n, hash: hash});");
        return json(text);
    }

    /** A request with the fleet token, as a program sends it (no cookie): {status, body}. */
    private static JsonNode fetch(String method, String path, String body, String token) throws IOException {
        return request(method, path, body, Map.of("Content-Type", "application/json", "Authorization", "Bearer " + token), false);
    }

    /** A request made in the page with these headers, with or without the session cookie: {status, body}. */
    private static JsonNode request(String method, String path, String body, Map<String, String> headers, boolean cookie)
            throws IOException {
        String text = (String) ((JavascriptExecutor) browser).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "fetch(arguments[1], {method: arguments[0], headers: arguments[3], body: arguments[2],"
                + " credentials: arguments[4] ? 'same-origin' : 'omit'})"
                + ".then(async r => done(JSON.stringify({status: r.status, body: await r.text()})), e => done(JSON.stringify({status: 0, body: String(e)})));",
                method, path, body, headers, cookie);
        return Json.MAPPER.readTree(text);
    }

    /** Types {@code token} into the page's login dialog and submits it. */
    private static void logIn(String token) {
        WebElement field = browser.findElement(By.id("login-input"));
        field.clear();
        field.sendKeys(token);
        browser.findElement(By.id("login-submit")).click();
    }

    /** The page keeps no token: not in its storages, not in its address, not in the input; the cookie is not script's. */
    private static void requireNoTokenKept() {
        String kept = (String) js("return JSON.stringify([location.href, document.cookie, document.getElementById('login-input').value,"
                + " Object.entries(localStorage), Object.entries(sessionStorage)])");
        assertThat(kept).doesNotContain(TOKEN).doesNotContain(viewerToken).doesNotContain("fleet_session");
    }

    /** The status of a request the page's own api.js sends, on the page's session. */
    private static int pageSend(String method, String path, String body) {
        return ((Number) ((JavascriptExecutor) browser).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "import('/js/api.js').then(({ send }) => send(arguments[0], arguments[1], JSON.parse(arguments[2])))"
                + ".then(a => done(a.status), e => done(-1));", method, path, body)).intValue();
    }

    /**
     * Script: a click, then a drag, on the middle of the live canvas, returning as JSON the URLs of the requests the
     * page started meanwhile: the page starts a prompt's request in its mouseup handler, before that returns, and no
     * other script of the page runs while this one does.
     */
    private static final String REQUESTS_OF_A_CLICK_AND_A_DRAG = "const c = document.getElementById('video'),"
            + " r = c.getBoundingClientRect(), started = [], real = window.fetch;"
            + "window.fetch = (url, options) => { started.push(String(url)); return real(url, options); };"
            + "const press = (type, fx, fy) => c.dispatchEvent(new MouseEvent(type, { bubbles: true, button: 0,"
            + " clientX: r.left + fx * r.width, clientY: r.top + fy * r.height }));"
            + "try { press('mousedown', .5, .5); press('mouseup', .5, .5); press('mousedown', .3, .3); press('mouseup', .7, .7); }"
            + "finally { window.fetch = real; }"
            + "return JSON.stringify(started);";

    /** Keeps the URL of every WebSocket the document opens in {@code window.socketsOpened}. */
    private static final String RECORD_SOCKETS = "window.socketsOpened = []; const RealSocket = window.WebSocket;"
            + "window.WebSocket = class extends RealSocket { constructor(url, protocols) { super(url, protocols);"
            + " window.socketsOpened.push(String(url)); } };";

    @Test
    @Order(12)
    void noUrlTheBrowserRequestedCarriedACredential() throws IOException {
        // the sockets, opened since the page was loaded: the viewer's and the operator's
        List<String> sockets = List.of(Json.MAPPER.readValue((String) js("return JSON.stringify(window.socketsOpened)"), String[].class));
        LocalFleet.requireNoCredentialIn("the page's sockets", sockets, TOKEN, viewerToken, "not-the-token");
        for (String made : List.of("/ws/view/" + FLEET.stream, "/ws/results/" + FLEET.stream)) {
            assertThat(sockets).as("sockets to %s", made).anyMatch(url -> url.contains(made));
        }
        // every other request, as the fleet's access logs have it: the logins, the page's calls, the recordings it
        // played and the proxied reads
        List<String> requests = FLEET.requireNoCredentialInRequestUrls(TOKEN, viewerToken, "not-the-token");
        for (String made : List.of("/auth/session", "/streams", "/api/processor/streams", "/api/ptz/ptz/",
                "/api/storage/archive/streams/" + FLEET.stream + "/segments/")) {
            assertThat(requests).as("requests to %s logged", made).anyMatch(r -> r.startsWith(made));
        }
    }

    @Test
    @Order(13)
    void loggingOutEndsTheSession() throws IOException {
        browser.findElement(By.id("logout")).click();
        await().atMost(SOON).until(() -> Boolean.TRUE.equals(js("return document.getElementById('login-dialog').open"))
                && "not logged in".equals(browser.findElement(By.id("role")).getText()));
        assertThat(request("GET", "/auth/session", null, Map.of(), true).path("status").asInt()).as("no session").isEqualTo(401);
        assertThat(request("GET", "/streams", null, Map.of(), true).path("status").asInt()).as("no read").isEqualTo(401);
        screenshot("12-logged-out");
    }

    @Test
    @Order(14)
    void noLogOfTheFleetHoldsAToken() throws IOException {
        Path logs = FLEET.home.resolve("logs");
        List<Path> files;
        try (var all = Files.list(logs)) {
            files = all.filter(Files::isRegularFile).toList();
        }
        assertThat(files).as("the fleet's logs").isNotEmpty();
        for (Path log : files) {
            assertThat(Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1)).as("%s", log)
                    .doesNotContain(TOKEN).doesNotContain(viewerToken).doesNotContain("not-the-token");
        }
    }

    /**
     * Script that opens the results socket of stream {@code arguments[0]} and hands each live result that carries a
     * processed frame to {@code onLive(message, frame)}, which the script defines. The recent frames the socket
     * replays to a new viewer come first and are skipped: its hello says how many (telling them by their age would
     * leave out live results too when the fleet runs late).
     */
    private static final String ON_LIVE_FRAMES = "let replayed = Infinity;"
            + "const ws = new WebSocket(`ws://${location.host}/ws/results/${encodeURIComponent(arguments[0])}`);"
            + "ws.onmessage = e => { const m = JSON.parse(e.data);"
            + " if (m.type === 'hello') { replayed = m.backlog; return; }"
            + " if (m.type !== 'result') return; if (replayed > 0) { replayed--; return; }"
            + " const f = m.parts && m.parts.processed_frame; if (f) onLive(m, f); };";

    /**
     * An object not prompted yet that the frame-processor has been tracking for three live results (not a flicker of
     * the background model, and not from the history the socket replays to a new viewer): its box, the frame size,
     * the capture time of that result and its velocity in frame pixels per millisecond since the first of them.
     */
    private static JsonNode lastMovingBox() throws IOException {
        String text = (String) ((JavascriptExecutor) browser).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "const skip = new Set(arguments[1]); const seen = {};"
                + "const onLive = (m, f) => { for (const o of f.objects || []) { if (skip.has(o.id)) continue;"
                + "  const cx = o.bbox[0] + o.bbox[2] / 2, cy = o.bbox[1] + o.bbox[3] / 2;"
                + "  const first = seen[o.id] = seen[o.id] || { cx, cy, ts: m.capture_ts, n: 0 }; first.n++;"
                + "  if (first.n >= 3 && m.capture_ts > first.ts && o.bbox[2] * o.bbox[3] < f.width * f.height / 8) { ws.close();"
                + "   const dt = m.capture_ts - first.ts;"
                + "   done(JSON.stringify({bbox: o.bbox, width: f.width, height: f.height, ts: m.capture_ts,"
                + "    vx: (cx - first.cx) / dt, vy: (cy - first.cy) / dt})); return; } } };"
                + ON_LIVE_FRAMES
                // no moving object in this long: the caller tries again
                + "setTimeout(() => { ws.close(); done('{}'); }, 15000);", FLEET.stream, new ArrayList<>(PROMPTED));
        return Json.MAPPER.readTree(text);
    }

    /** The object ids in the live results of one second, with how many results came: {results, ids}. */
    private static String publishedIds() {
        return (String) ((JavascriptExecutor) browser).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "const ids = new Set(); let results = 0;"
                + "const onLive = (m, f) => { results++; (f.objects || []).forEach(o => ids.add(o.id)); };"
                + ON_LIVE_FRAMES
                + "setTimeout(() => { ws.close(); done(JSON.stringify({ results, ids: [...ids] })); }, 1000);", FLEET.stream);
    }

    /**
     * The target's box moved on by its velocity to where it is in the frame captured at {@code captureTs}: {x, y, w,
     * h, frame width, frame height}. Capture times are the fleet's clock, which is this machine's.
     */
    private static double[] whereItIs(JsonNode target, long captureTs) {
        JsonNode box = target.path("bbox");
        double ahead = captureTs - target.path("ts").asLong();
        return new double[]{box.path(0).asDouble() + target.path("vx").asDouble() * ahead,
                box.path(1).asDouble() + target.path("vy").asDouble() * ahead, box.path(2).asDouble(),
                box.path(3).asDouble(), target.path("width").asDouble(1), target.path("height").asDouble(1)};
    }

    /**
     * One prompt's answer with what tells a miss apart: the target as last reported, the capture time the gesture
     * aimed at, the picture the page showed, the frame frame-processor applied the prompt to, and how far the
     * gesture's centre was from where the target was (by its velocity) in that frame and in the picture shown.
     */
    private static String diagnosis(JsonNode answer, JsonNode target, long aimedTs, double[] aimed) {
        long shown = answer.path("request").path("capture_ts").asLong();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("captured at (\\d+)")
                .matcher(answer.path("answer").path("message").asText());
        long applied = answer.path("answer").has("capture_ts") ? answer.path("answer").path("capture_ts").asLong()
                : m.find() ? Long.parseLong(m.group(1)) : 0;
        return String.format(java.util.Locale.ROOT, "%s; target %s at %d moving (%.3f, %.3f) px/ms; aimed at %d"
                        + " (centre %.0f, %.0f); picture shown %d (target %.0f px away); applied to frame %d"
                        + " (target %.0f px away)", answer, target.path("bbox"), target.path("ts").asLong(),
                target.path("vx").asDouble(), target.path("vy").asDouble(), aimedTs, aimed[0] + aimed[2] / 2,
                aimed[1] + aimed[3] / 2, shown, miss(target, shown, aimed), applied, miss(target, applied, aimed));
    }

    /** How far the centre of {@code aimed} is from the target's centre in the frame captured at {@code ts}. */
    private static double miss(JsonNode target, long ts, double[] aimed) {
        double[] there = whereItIs(target, ts);
        return Math.hypot(there[0] + there[2] / 2 - aimed[0] - aimed[2] / 2, there[1] + there[3] / 2 - aimed[1] - aimed[3] / 2);
    }

    /**
     * A person's gesture on {@code target} where it is on the picture on the screen, made in the page in one script so
     * that no other picture is drawn between aiming and pressing (Selenium's own input, on a loaded machine, reached
     * the page 0.1-0.9 s after the test aimed, on a newer picture): a click on its middle, or a drag from one corner
     * of a box around it, with a margin for its motion, to the other. The page names the picture on the screen in its
     * prompt. Returns {shown: that picture's capture time, box: the target there in frame pixels}, or {skipped} when
     * the target is leaving the picture.
     */
    private static JsonNode gesture(JsonNode target, boolean drag) throws IOException {
        return Json.MAPPER.readTree((String) js("const t = JSON.parse(arguments[0]), drag = arguments[1];"
                + "const shown = window.dashboard.live.lastCaptureTs, ahead = shown - t.ts;"
                + "const [x, y, w, h] = [t.bbox[0] + t.vx * ahead, t.bbox[1] + t.vy * ahead, t.bbox[2], t.bbox[3]];"
                + "if (x < 0 || y < 0 || x + w > t.width || y + h > t.height) return JSON.stringify({ skipped: [x, y, w, h] });"
                + "const c = document.getElementById('video'), r = c.getBoundingClientRect();"
                + "const press = (type, fx, fy) => c.dispatchEvent(new MouseEvent(type, { bubbles: true, button: 0,"
                + " clientX: r.left + fx * r.width / t.width, clientY: r.top + fy * r.height / t.height }));"
                + "const m = Math.max(40, 0.08 * t.width);"
                + "if (drag) { press('mousedown', Math.max(1, x - m), Math.max(1, y - m));"
                + " press('mouseup', Math.min(t.width - 2, x + w + m), Math.min(t.height - 2, y + h + m)); }"
                + "else { press('mousedown', x + w / 2, y + h / 2); press('mouseup', x + w / 2, y + h / 2); }"
                + "return JSON.stringify({ shown, box: [x, y, w, h] });", target.toString(), drag));
    }

    /**
     * Starts collecting the ids of every object drawn from now on, sampled at each display refresh (the page draws at
     * most one picture per refresh). Polling the last picture drawn missed an object drawn on only a few pictures:
     * the drone's synthetic clip loops every 10 s, its objects jump where it joins, and one prompted just before
     * that is lost by the tracker after 3-10 frames (frame-processor's PromptOnALoopingClipTest).
     */
    private static void recordObjectsDrawn() {
        js("window.drawnSince = new Set(); if (window.drawnSampler) return;"
                + "const sample = () => { (window.dashboard.live?.objectsDrawn || []).forEach(id => window.drawnSince.add(id));"
                + " window.drawnSampler = requestAnimationFrame(sample); }; window.drawnSampler = requestAnimationFrame(sample);");
    }

    private static JsonNode objectsDrawnSinceRecording() {
        return json((String) js("return JSON.stringify([...window.drawnSince])"));
    }

    private static boolean containsId(JsonNode ids, long id) {
        for (JsonNode n : ids) {
            if (n.asLong() == id) {
                return true;
            }
        }
        return false;
    }

    private static void screenshot(String name) {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        try {
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
