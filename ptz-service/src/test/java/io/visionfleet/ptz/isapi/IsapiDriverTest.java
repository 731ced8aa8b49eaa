package io.visionfleet.ptz.isapi;

import io.visionfleet.ptz.driver.PtzAuthException;
import io.visionfleet.ptz.driver.PtzCapabilities;
import io.visionfleet.ptz.driver.PtzException;
import io.visionfleet.ptz.driver.PtzStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The ISAPI driver against a local camera that enforces Digest and records the XML it is sent. */
@Tag("quick")
class IsapiDriverTest {
    private static final int PORT = 18410;
    private static final String SECRET = "s3cret-Pass";
    private static final PtzCapabilities CAPS = new PtzCapabilities(-170, 170, -20, 60, 1, 30, 16, true, true);

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private FakeIsapiCamera camera;
    private IsapiDriver driver;

    @AfterEach
    void tearDown() {
        if (driver != null) {
            driver.close();
        }
        if (camera != null) {
            camera.close();
        }
    }

    private IsapiDriver driver(String password) throws Exception {
        camera = new FakeIsapiCamera(PORT, "admin", SECRET);
        driver = new IsapiDriver(new IsapiDriver.Settings(URI.create(camera.base()), "admin", password.toCharArray(), 1,
                Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofMillis(300)), CAPS, clock::get);
        return driver;
    }

    @Test
    void continuousMovesAreClampedAndAlwaysFollowedByAStop() throws Exception {
        driver(SECRET).moveRelative(1.7, -0.25, 0);
        assertThat(camera.accepted.get(0).method()).isEqualTo("PUT");
        assertThat(camera.accepted.get(0).path()).isEqualTo("/ISAPI/PTZCtrl/channels/1/continuous");
        assertThat(camera.accepted.get(0).body()).contains("<pan>100</pan><tilt>-25</tilt><zoom>0</zoom>")
                .contains("xmlns=\"" + IsapiXml.NS + "\"");
        // nothing renews the move: the driver's watchdog stops it
        await().atMost(Duration.ofSeconds(3)).until(() -> camera.accepted.size() == 2);
        assertThat(camera.accepted.get(1).body()).contains("<pan>0</pan><tilt>0</tilt><zoom>0</zoom>");
        assertThat(camera.accepted.get(1).path()).endsWith("/continuous");
    }

    @Test
    void absoluteMomentaryPresetsStatusAndCapabilitiesUseTheCamerasUnits() throws Exception {
        IsapiDriver d = driver(SECRET);
        d.moveTo(-200, 95, 55);
        assertThat(camera.accepted.get(0).path()).endsWith("/absolute");
        // pan clamped to -170 (azimuth 190.0 deg), tilt to 60, zoom to 30x
        assertThat(camera.accepted.get(0).body())
                .contains("<AbsoluteHigh><elevation>600</elevation><azimuth>1900</azimuth><absoluteZoom>300</absoluteZoom></AbsoluteHigh>");
        d.moveFor(0.5, 0, -2, 400);
        assertThat(camera.accepted.get(1).body()).contains("<pan>50</pan><tilt>0</tilt><zoom>-100</zoom>")
                .contains("<Momentary><duration>400</duration></Momentary>");
        d.goPreset(3);
        assertThat(camera.accepted.get(2).path()).isEqualTo("/ISAPI/PTZCtrl/channels/1/presets/3/goto");
        d.setPreset(4);
        assertThat(camera.accepted.get(3).body()).contains("<id>4</id>");
        assertThatThrownBy(() -> d.goPreset(17)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..16");

        PtzStatus status = d.status();
        assertThat(status.panDeg()).isCloseTo(-15, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(status.tiltDeg()).isCloseTo(-15, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(status.zoom()).isCloseTo(2.5, org.assertj.core.data.Offset.offset(1e-9));
        PtzCapabilities caps = d.capabilities();
        assertThat(caps.zoomMax()).isEqualTo(25);
        assertThat(caps.panMin()).isEqualTo(-170);

        camera.statusXml = "<PTZStatus><nothing/></PTZStatus>";
        clock.addAndGet(1000);
        assertThatThrownBy(d::status).isInstanceOf(PtzException.class).hasMessageContaining("AbsoluteHigh");
    }

    @Test
    void aCameraErrorCarriesItsOwnExplanation() throws Exception {
        driver(SECRET);
        PtzCapabilities few = new PtzCapabilities(-170, 170, -20, 60, 1, 30, 128, true, true);
        IsapiDriver wide = new IsapiDriver(new IsapiDriver.Settings(URI.create(camera.base()), "admin", SECRET.toCharArray(),
                1, Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofMillis(300)), few, clock::get);
        assertThatThrownBy(() -> wide.goPreset(99)).isInstanceOf(PtzException.class)
                .hasMessageContaining("400").hasMessageContaining("Invalid Content").hasMessageContaining("badParameters");
        wide.close();
    }

    @Test
    void aWrongPasswordIsAClearErrorAndTheDriverHoldsOffInsteadOfRetrying() throws Exception {
        IsapiDriver d = driver("wrong-one");
        assertThatThrownBy(() -> d.moveRelative(0.5, 0, 0)).isInstanceOf(PtzAuthException.class)
                .hasMessageContaining("refused the credentials of user 'admin'").hasMessageContaining("holding off 60 s")
                .hasMessageNotContaining("wrong-one");
        // one unauthenticated request for the challenge, one refused login
        assertThat(camera.hits.get()).isEqualTo(2);
        assertThat(camera.refused.get()).isEqualTo(1);
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> d.moveRelative(0.5, 0, 0)).isInstanceOf(PtzAuthException.class)
                    .hasMessageContaining("not trying again");
        }
        assertThat(camera.hits.get()).as("no retry storm while held off").isEqualTo(2);
        // after the back-off one more try, refused again: the next hold-off doubles
        clock.addAndGet(61_000);
        assertThatThrownBy(() -> d.stop()).isInstanceOf(PtzAuthException.class).hasMessageContaining("holding off 120 s");
        assertThat(camera.refused.get()).isEqualTo(2);
    }

    @Test
    void aMoveIsNotHeldUpByASlowStatusPoll() throws Exception {
        IsapiDriver d = driver(SECRET);
        d.stop();
        camera.statusGate = new CountDownLatch(1);
        CompletableFuture<PtzStatus> poll = CompletableFuture.supplyAsync(d::status);
        await().atMost(Duration.ofSeconds(5)).until(() -> camera.statusHeld.get() == 1);
        d.moveTo(10, 0, 1);
        assertThat(camera.accepted.get(camera.accepted.size() - 1).path()).endsWith("/absolute");
        assertThat(poll).as("the poll is still held by the camera").isNotDone();
        camera.statusGate.countDown();
        assertThat(poll.get(5, TimeUnit.SECONDS).panDeg()).isCloseTo(-15, org.assertj.core.data.Offset.offset(1e-9));
    }
}
