package io.visionfleet.ptz.onvif;

import io.visionfleet.ptz.driver.PtzAuthException;
import io.visionfleet.ptz.driver.PtzCapabilities;
import io.visionfleet.ptz.driver.PtzException;
import io.visionfleet.ptz.driver.PtzStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/** The ONVIF driver against a local device that checks WS-Security digests on its own clock and answers as the spec's examples do. */
@Tag("quick")
class OnvifDriverTest {
    private static final String SECRET = "0nvif-Secret";
    /** Pan -170..170, tilt -20..60, zoom 1..30 (the zoom space 0..1 maps onto it), 16 presets. */
    private static final PtzCapabilities CAPS = new PtzCapabilities(-170, 170, -20, 60, 1, 30, 16, true, true);
    private static final double EPS = 1e-6;

    /**
     * Our clock, epoch ms, for the driver and the device alike: it stands still unless a test moves it, so a request's
     * round trip takes no time on it, however long it takes on this machine. It starts on a whole second.
     */
    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private FakeOnvifDevice device;
    private OnvifDriver driver;

    @AfterEach
    void tearDown() {
        if (driver != null) {
            driver.close();
        }
        if (device != null) {
            device.close();
        }
    }

    private OnvifDriver driver(String password, boolean absolute, Optional<String> profile) throws Exception {
        device = new FakeOnvifDevice("admin", SECRET, absolute, now::get);
        driver = new OnvifDriver(new OnvifDriver.Settings(URI.create(device.deviceUrl()), "admin", password.toCharArray(),
                profile, Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofSeconds(1), -180, 180, -90, 90), CAPS,
                now::get);
        return driver;
    }

    private OnvifDriver driver() throws Exception {
        return driver(SECRET, true, Optional.empty());
    }

    @Test
    void discoveryFindsThePtzServiceTheProfileWithPtzAndItsNode() throws Exception {
        OnvifDriver d = driver();
        OnvifSession s = d.discovered();
        assertThat(device.ops()).containsExactly("GetServices", "GetProfiles", "GetNodes");
        // the device reports its LAN address; the path is kept, host and port are the ones configured
        assertThat(s.ptz().toString()).isEqualTo(device.deviceUrl().replace("device_service", "ptz_service"));
        assertThat(s.media().toString()).isEqualTo(device.deviceUrl().replace("device_service", "media_service"));
        assertThat(device.calls.get(1).service()).isEqualTo("media_service");
        assertThat(device.calls.get(2).service()).isEqualTo("ptz_service");
        assertThat(s.profile()).as("Profile_1 has no PTZ configuration").isEqualTo("Profile_2");
        assertThat(s.node()).isEqualTo("PTZNode_1");
        assertThat(s.absPanTilt().xMin()).isEqualTo(-1);
        assertThat(s.absZoom().xMax()).isEqualTo(1);
        assertThat(s.velPanTilt()).isNotNull();
        PtzCapabilities caps = d.capabilities();
        assertThat(caps.presets()).as("node's MaximumNumberOfPresets").isEqualTo(8);
        assertThat(caps.absolute()).isTrue();
        assertThat(caps.continuous()).isTrue();
        assertThat(caps.zoomMax()).isEqualTo(30);
    }

    @Test
    void devicesWithoutGetServicesAreDiscoveredWithGetCapabilities() throws Exception {
        OnvifDriver d = driver();
        device.getServices = false;
        d.stop();
        assertThat(device.ops()).containsExactly("GetServices", "GetCapabilities", "GetProfiles", "GetNodes", "Stop");
        assertThat(device.last("Stop").service()).isEqualTo("ptz_service");
    }

    @Test
    void aConfiguredProfileThatDoesNotExistIsNamed() throws Exception {
        OnvifDriver d = driver(SECRET, true, Optional.of("Profile_9"));
        assertThatThrownBy(d::stop).isInstanceOf(PtzException.class).hasMessageContaining("no profile Profile_9")
                .hasMessageContaining("Profile_1, Profile_2");
    }

    @Test
    void continuousMovesAreClampedAndCarryATimeoutAndZeroSpeedsStop() throws Exception {
        OnvifDriver d = driver();
        d.moveRelative(1.7, -0.25, 0.5);
        FakeOnvifDevice.Call move = device.last("ContinuousMove");
        assertThat(move.text("ProfileToken")).isEqualTo("Profile_2");
        assertThat(move.attr("PanTilt", "x")).isEqualTo("1");
        assertThat(move.attr("PanTilt", "y")).isEqualTo("-0.25");
        assertThat(move.attr("PanTilt", "space")).endsWith("PanTiltSpaces/VelocityGenericSpace");
        assertThat(move.attr("Zoom", "x")).isEqualTo("0.5");
        assertThat(move.text("Timeout")).as("the camera stops by itself unless renewed").isEqualTo("PT1S");
        assertThat(d.status().moving()).isTrue();

        d.moveFor(-0.5, 0, 0, 400);
        assertThat(device.last("ContinuousMove").text("Timeout")).isEqualTo("PT0.4S");
        assertThat(device.last("ContinuousMove").attr("PanTilt", "x")).isEqualTo("-0.5");

        d.moveRelative(0, 0, 0);
        FakeOnvifDevice.Call stop = device.last("Stop");
        assertThat(stop.text("PanTilt")).isEqualTo("true");
        assertThat(stop.text("Zoom")).isEqualTo("true");
        assertThat(d.status().moving()).isFalse();
        assertThat(device.ops()).filteredOn("ContinuousMove"::equals).hasSize(2);
    }

    @Test
    void absoluteMovesMapDegreesAndZoomOntoTheGenericSpace() throws Exception {
        OnvifDriver d = driver();
        d.moveTo(90, 45, 15.5);
        FakeOnvifDevice.Call move = device.last("AbsoluteMove");
        // pan -180..180 and tilt -90..90 onto -1..1, zoom 1..30 onto 0..1
        assertThat(Double.parseDouble(move.attr("PanTilt", "x"))).isCloseTo(0.5, within(EPS));
        assertThat(Double.parseDouble(move.attr("PanTilt", "y"))).isCloseTo(0.5, within(EPS));
        assertThat(Double.parseDouble(move.attr("Zoom", "x"))).isCloseTo(0.5, within(EPS));
        assertThat(move.attr("PanTilt", "space")).endsWith("PanTiltSpaces/PositionGenericSpace");
        // clamped to the configured limits first: pan 170, tilt -20, zoom 30
        d.moveTo(400, -80, 99);
        move = device.last("AbsoluteMove");
        assertThat(Double.parseDouble(move.attr("PanTilt", "x"))).isCloseTo(170 / 180.0, within(EPS));
        assertThat(Double.parseDouble(move.attr("PanTilt", "y"))).isCloseTo(-20 / 90.0, within(EPS));
        assertThat(Double.parseDouble(move.attr("Zoom", "x"))).isCloseTo(1, within(EPS));
        PtzStatus status = d.status();
        assertThat(status.panDeg()).isCloseTo(170, within(1e-3));
        assertThat(status.tiltDeg()).isCloseTo(-20, within(1e-3));
        assertThat(status.zoom()).isCloseTo(30, within(1e-3));
    }

    @Test
    void relativeMovesTranslateDegreesInTheSameUnits() throws Exception {
        OnvifDriver d = driver();
        d.moveBy(18, -9, 2.9);
        FakeOnvifDevice.Call move = device.last("RelativeMove");
        assertThat(Double.parseDouble(move.attr("PanTilt", "x"))).isCloseTo(0.1, within(EPS));
        assertThat(Double.parseDouble(move.attr("PanTilt", "y"))).isCloseTo(-0.1, within(EPS));
        assertThat(Double.parseDouble(move.attr("Zoom", "x"))).isCloseTo(0.1, within(EPS));
        assertThat(move.attr("PanTilt", "space")).endsWith("PanTiltSpaces/TranslationGenericSpace");
        // the device started at x -0.25 (pan -45), y 0.1 (tilt 9), zoom 0.5 (15.5x)
        PtzStatus s = d.status();
        assertThat(s.panDeg()).isCloseTo(-27, within(1e-3));
        assertThat(s.tiltDeg()).isCloseTo(0, within(1e-3));
        assertThat(s.zoom()).isCloseTo(18.4, within(1e-3));
    }

    @Test
    void statusMapsTheReportedPositionAndMoveStatus() throws Exception {
        OnvifDriver d = driver();
        PtzStatus s = d.status();
        assertThat(s.panDeg()).isCloseTo(-45, within(1e-6));
        assertThat(s.tiltDeg()).isCloseTo(9, within(1e-6));
        assertThat(s.zoom()).isCloseTo(15.5, within(1e-6));
        assertThat(s.moving()).isFalse();
    }

    @Test
    void aCameraWithoutAbsoluteMovesReachesAPositionByARelativeMove() throws Exception {
        OnvifDriver d = driver(SECRET, false, Optional.empty());
        assertThat(d.capabilities().absolute()).isFalse();
        d.moveTo(0, 27, 15.5);
        assertThat(device.ops()).doesNotContain("AbsoluteMove").endsWith("GetStatus", "RelativeMove");
        FakeOnvifDevice.Call move = device.last("RelativeMove");
        // from pan -45, tilt 9, zoom 15.5: +45 deg (generic -1..1 over 360 deg), +18 deg, no zoom change
        assertThat(Double.parseDouble(move.attr("PanTilt", "x"))).isCloseTo(0.25, within(EPS));
        assertThat(Double.parseDouble(move.attr("PanTilt", "y"))).isCloseTo(0.2, within(EPS));
        PtzStatus s = d.status();
        assertThat(s.panDeg()).isCloseTo(0, within(1e-3));
        assertThat(s.tiltDeg()).isCloseTo(27, within(1e-3));
    }

    @Test
    void presetsAreNamedByNumberAndReachedByTheirTokens() throws Exception {
        OnvifDriver d = driver();
        d.goPreset(1); // the device's own preset with token "1" ("Home")
        assertThat(device.last("GotoPreset").text("PresetToken")).isEqualTo("1");
        d.setPreset(3);
        FakeOnvifDevice.Call set = device.last("SetPreset");
        assertThat(set.text("PresetName")).isEqualTo("3");
        assertThat(set.text("PresetToken")).as("a new preset: the device picks the token").isNull();
        d.goPreset(3);
        assertThat(device.last("GotoPreset").text("PresetToken")).isEqualTo("T101");
        d.setPreset(3);
        assertThat(device.last("SetPreset").text("PresetToken")).as("overwritten, not duplicated").isEqualTo("T101");
        assertThat(device.presets).hasSize(2);
        assertThatThrownBy(() -> d.goPreset(5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("preset 5 is not set");
        assertThatThrownBy(() -> d.goPreset(17)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..16");
    }

    @Test
    void faultsCarryTheDevicesReasonAndSubcodes() throws Exception {
        OnvifDriver d = driver();
        d.stop();
        device.profileExists = false;
        assertThatThrownBy(d::stop).isInstanceOf(PtzException.class).isNotInstanceOf(PtzAuthException.class)
                .hasMessageContaining("refused Stop").hasMessageContaining("profile token ProfileToken does not exist")
                .hasMessageContaining("Sender/InvalidArgVal/NoProfile");
    }

    @Test
    void aWrongPasswordIsAClearErrorAndTheDriverHoldsOff() throws Exception {
        OnvifDriver d = driver("wrong-one", true, Optional.empty());
        assertThatThrownBy(d::stop).isInstanceOf(PtzAuthException.class)
                .hasMessageContaining("refused the credentials of user 'admin'").hasMessageContaining("Sender not Authorized")
                .hasMessageContaining("Holding off 60 s").hasMessageNotContaining("wrong-one");
        // clock read, refused, clock read again (a clock that moved is the other cause), refused again
        assertThat(device.refused.get()).isEqualTo(2);
        int hits = device.hits.get();
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> d.moveRelative(0.5, 0, 0)).isInstanceOf(PtzAuthException.class)
                    .hasMessageContaining("not trying again").hasMessageNotContaining("wrong-one");
        }
        assertThat(device.hits.get()).as("no request while held off").isEqualTo(hits);
        now.addAndGet(61_000);
        assertThatThrownBy(d::stop).isInstanceOf(PtzAuthException.class).hasMessageContaining("Holding off 120 s");
        assertThat(device.refused.get()).isEqualTo(4);
    }

    @Test
    void aDeviceClockAnHourOffStillAuthenticates() throws Exception {
        device = new FakeOnvifDevice("admin", SECRET, true, now::get);
        device.clockOffsetMs = 3_600_000;
        // the device does check Created against its clock: a token created on ours is refused
        HttpResponse<String> raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(device.deviceUrl()))
                .header("Content-Type", "application/soap+xml; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(Soap.envelope(new UsernameToken("admin", SECRET.toCharArray())
                        .header(now.get()), "<tds:GetServices/>"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(raw.statusCode()).isEqualTo(400);
        assertThat(raw.body()).contains("ter:NotAuthorized");

        driver = new OnvifDriver(new OnvifDriver.Settings(URI.create(device.deviceUrl()), "admin", SECRET.toCharArray(),
                Optional.empty(), Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofSeconds(1), -180, 180, -90, 90),
                CAPS, now::get);
        driver.moveRelative(0.2, 0, 0);
        assertThat(device.refused.get()).isEqualTo(1); // only the raw request above
        // the device tells whole seconds: the offset is known to half a second
        assertThat(driver.clockOffsetMs()).isCloseTo(3_600_000L, within(500L));
        assertThat(device.ops()).endsWith("ContinuousMove");

        // the device's clock jumps back: the next call is refused once, the clock read again, and the call retried
        device.clockOffsetMs = -7_200_000;
        driver.stop();
        assertThat(device.refused.get()).isEqualTo(2);
        assertThat(driver.clockOffsetMs()).isCloseTo(-7_200_000L, within(500L));
        assertThat(device.ops()).endsWith("Stop");
    }

    @Test
    void aMoveIsNotHeldUpByASlowStatusPollAndThePollsAnswerIsNotCachedOverIt() throws Exception {
        OnvifDriver d = driver();
        d.discovered();
        device.statusGate = new CountDownLatch(1);
        CompletableFuture<PtzStatus> poll = CompletableFuture.supplyAsync(d::status);
        await().atMost(Duration.ofSeconds(5)).until(() -> device.statusHeld.get() == 1);
        d.moveRelative(0.5, 0, 0);
        d.stop();
        assertThat(device.ops()).endsWith("GetStatus", "ContinuousMove", "Stop");
        assertThat(poll).as("the poll is still held by the device").isNotDone();
        device.statusGate.countDown();
        assertThat(poll.get(5, TimeUnit.SECONDS).panDeg()).isCloseTo(-45, within(1e-6));
        // our clock stands still, so only the moves in between make the next status a fresh read
        device.statusGate = null;
        d.status();
        assertThat(device.ops()).filteredOn("GetStatus"::equals).hasSize(2);
        d.status();
        assertThat(device.ops()).as("then cached").filteredOn("GetStatus"::equals).hasSize(2);
    }

    @Test
    void theDigestIsBase64OfSha1OfNonceCreatedAndPassword() {
        // the definition, over one concatenated buffer: nonce bytes, then Created, then the password
        byte[] nonce = {1, 2, 3};
        String created = "2024-01-01T00:00:00Z";
        byte[] all = new byte[3 + created.length() + 2];
        System.arraycopy(nonce, 0, all, 0, 3);
        System.arraycopy(created.getBytes(), 0, all, 3, created.length());
        System.arraycopy("pw".getBytes(), 0, all, 3 + created.length(), 2);
        String expected;
        try {
            expected = java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-1").digest(all));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        assertThat(UsernameToken.digest(nonce, created, "pw".toCharArray())).isEqualTo(expected);
        assertThat(new UsernameToken("admin", "pw".toCharArray()).header(0)).doesNotContain(">pw<")
                .contains("<wsu:Created>1970-01-01T00:00:00Z</wsu:Created>").contains("#PasswordDigest");
    }
}
