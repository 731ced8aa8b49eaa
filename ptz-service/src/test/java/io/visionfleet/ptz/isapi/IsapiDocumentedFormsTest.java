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
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The ISAPI driver against bodies in the form Hikvision's ISAPI documentation gives them (XML declaration, the
 * ver20 namespace, {@code version} attributes, line breaks, fields the driver does not use) and against Digest
 * challenges as cameras send them: {@code qop="auth"}, a Basic challenge beside the Digest one, and nonces that go
 * stale.
 */
@Tag("quick")
class IsapiDocumentedFormsTest {
    private static final int PORT = 18411;
    private static final String SECRET = "s3cret-Pass";
    private static final PtzCapabilities CAPS = new PtzCapabilities(-170, 170, -20, 60, 1, 30, 16, true, true);
    private static final String HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    private static final String NS = " version=\"2.0\" xmlns=\"http://www.hikvision.com/ver20/XMLSchema\"";

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

    private IsapiDriver driver() throws Exception {
        camera = new FakeIsapiCamera(PORT, "admin", SECRET);
        driver = new IsapiDriver(new IsapiDriver.Settings(URI.create(camera.base()), "admin", SECRET.toCharArray(), 1,
                Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofSeconds(30)), CAPS, clock::get);
        return driver;
    }

    @Test
    void ptzStatusInTheDocumentedForm() throws Exception {
        IsapiDriver d = driver();
        camera.statusXml = HEAD + "<PTZStatus" + NS + ">\n  <AbsoluteHigh>\n    <elevation>125</elevation>\n"
                + "    <azimuth>1800</azimuth>\n    <absoluteZoom>40</absoluteZoom>\n  </AbsoluteHigh>\n"
                + "  <Relative>\n    <positionX>0</positionX>\n    <positionY>0</positionY>\n"
                + "    <relativeZoom>0</relativeZoom>\n  </Relative>\n</PTZStatus>\n";
        PtzStatus s = d.status();
        assertThat(s.panDeg()).isCloseTo(180, within(1e-9));
        assertThat(s.tiltDeg()).isCloseTo(12.5, within(1e-9));
        assertThat(s.zoom()).isCloseTo(4, within(1e-9));
        assertThat(s.moving()).isFalse();
        // azimuth 359.9 degrees is just left of 0
        camera.statusXml = HEAD + "<PTZStatus" + NS + "><AbsoluteHigh><elevation>-900</elevation><azimuth>3599</azimuth>"
                + "<absoluteZoom>10</absoluteZoom></AbsoluteHigh></PTZStatus>";
        clock.addAndGet(1000);
        s = d.status();
        assertThat(s.panDeg()).isCloseTo(-0.1, within(1e-9));
        assertThat(s.tiltDeg()).isCloseTo(-90, within(1e-9));
        assertThat(s.zoom()).isCloseTo(1, within(1e-9));
    }

    @Test
    void channelCapabilitiesInTheDocumentedForm() throws Exception {
        IsapiDriver d = driver();
        camera.capabilitiesXml = HEAD + "<PTZChanelCap" + NS + ">\n"
                + "<AbsolutePanTiltPositionSpace>\n<XRange><Min>0</Min><Max>3600</Max></XRange>\n"
                + "<YRange><Min>-50</Min><Max>900</Max></YRange>\n</AbsolutePanTiltPositionSpace>\n"
                + "<AbsoluteZoomPositionSpace>\n<ZRange><Min>10</Min><Max>250</Max></ZRange>\n</AbsoluteZoomPositionSpace>\n"
                + "<ContinuousPanTiltSpace>\n<XRange><Min>-100</Min><Max>100</Max></XRange>\n"
                + "<YRange><Min>-100</Min><Max>100</Max></YRange>\n</ContinuousPanTiltSpace>\n"
                + "<ContinuousZoomSpace>\n<ZRange><Min>-100</Min><Max>100</Max></ZRange>\n</ContinuousZoomSpace>\n"
                + "<maxPresetNum>8</maxPresetNum>\n<controlProtocol opt=\"HIKVISION,PELCO-D\">HIKVISION</controlProtocol>\n"
                + "</PTZChanelCap>\n";
        PtzCapabilities c = d.capabilities();
        assertThat(c.zoomMin()).isEqualTo(1);
        assertThat(c.zoomMax()).as("AbsoluteZoomPositionSpace 10..250 in x10 units").isEqualTo(25);
        assertThat(c.tiltMin()).as("elevation -50..900 in 0.1 degrees, inside the configured -20..60").isEqualTo(-5);
        assertThat(c.tiltMax()).isEqualTo(60);
        assertThat(c.panMin()).isEqualTo(-170);
        assertThat(c.presets()).as("maxPresetNum").isEqualTo(8);
        assertThat(c.absolute()).isTrue();
        assertThat(c.continuous()).isTrue();
        // the range the camera reports bounds moves: tilt -20 becomes elevation -50
        d.moveTo(0, -20, 40);
        assertThat(camera.accepted.get(camera.accepted.size() - 1).body())
                .contains("<elevation>-50</elevation><azimuth>0</azimuth><absoluteZoom>250</absoluteZoom>");
    }

    @Test
    void errorResponseStatusInTheDocumentedForm() throws Exception {
        IsapiDriver d = driver();
        camera.answers.put("/presets/7/goto", Map.entry(403, HEAD + "<ResponseStatus" + NS + ">\n"
                + "<requestURL>/ISAPI/PTZCtrl/channels/1/presets/7/goto</requestURL>\n<statusCode>4</statusCode>\n"
                + "<statusString>Invalid Operation</statusString>\n<subStatusCode>notSupport</subStatusCode>\n"
                + "</ResponseStatus>\n"));
        assertThatThrownBy(() -> d.goPreset(7)).isInstanceOf(PtzException.class).hasMessageContaining("403")
                .hasMessageContaining("Invalid Operation").hasMessageContaining("notSupport")
                .hasMessageContaining("statusCode 4");
        // a camera may also answer 200 with a ResponseStatus that is not OK
        camera.answers.put("/continuous", Map.entry(200, HEAD + "<ResponseStatus" + NS + "><requestURL>"
                + "/ISAPI/PTZCtrl/channels/1/continuous</requestURL><statusCode>2</statusCode><statusString>Device Busy"
                + "</statusString><subStatusCode>deviceBusy</subStatusCode></ResponseStatus>"));
        assertThatThrownBy(d::stop).isInstanceOf(PtzException.class).hasMessageContaining("Device Busy")
                .hasMessageContaining("deviceBusy");
        // and an OK one is not an error
        camera.answers.put("/continuous", Map.entry(200, HEAD + "<ResponseStatus" + NS + "><requestURL>"
                + "/ISAPI/PTZCtrl/channels/1/continuous</requestURL><statusCode>1</statusCode><statusString>OK"
                + "</statusString><subStatusCode>ok</subStatusCode></ResponseStatus>"));
        d.stop();
    }

    @Test
    void digestWithQopAuthAndABasicChallengeBesideIt() throws Exception {
        IsapiDriver d = driver();
        camera.basicFirst = true;
        camera.qop = "auth";
        d.moveTo(10, 0, 1);
        d.goPreset(2);
        assertThat(camera.accepted).hasSize(2);
        assertThat(camera.refused.get()).isZero();
        assertThat(camera.hits.get()).as("one challenge, then each request in one round trip").isEqualTo(3);
    }

    @Test
    void aStaleNonceIsRenewedWithoutFailingOrHoldingOff() throws Exception {
        IsapiDriver d = driver();
        camera.nonceLifetime = 2;
        for (int i = 1; i <= 7; i++) {
            d.goPreset(1 + i % 3);
        }
        assertThat(camera.accepted).hasSize(7);
        assertThat(camera.staleAnswers.get()).as("nonces went stale and were renewed").isGreaterThanOrEqualTo(3);
        assertThat(camera.refused.get()).isZero();
        d.stop(); // not held off
        assertThat(camera.accepted).hasSize(8);
        assertThat(d.requests()).isEqualTo(camera.hits.get());
    }

    @Test
    void aWrongPasswordAnsweredWithStaleFalseIsStillARefusal() throws Exception {
        camera = new FakeIsapiCamera(PORT, "admin", SECRET);
        driver = new IsapiDriver(new IsapiDriver.Settings(URI.create(camera.base()), "admin", "nope".toCharArray(), 1,
                Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofSeconds(30)), CAPS, clock::get);
        assertThatThrownBy(() -> driver.goPreset(1)).isInstanceOf(PtzAuthException.class).hasMessageNotContaining("nope");
        assertThat(camera.refused.get()).isEqualTo(1);
    }
}
