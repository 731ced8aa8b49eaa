package io.visionfleet.ptz.onvif;

import io.visionfleet.ptz.driver.PtzException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Discovery alone against the local device, and the parsing of spaces and service addresses. */
@Tag("quick")
class OnvifDiscoveryTest {
    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private FakeOnvifDevice device;

    @AfterEach
    void tearDown() {
        if (device != null) {
            device.close();
        }
    }

    private OnvifClient client(boolean absolute) throws Exception {
        device = new FakeOnvifDevice("admin", "pw", absolute, now::get);
        return new OnvifClient(URI.create(device.deviceUrl()), "admin", "pw".toCharArray(), Duration.ofSeconds(2),
                Duration.ofSeconds(60), now::get);
    }

    @Test
    void theClockIsReadFirstThenServicesProfileAndNode() throws Exception {
        OnvifClient c = client(false);
        device.clockOffsetMs = 90_000;
        OnvifSession s = OnvifDiscovery.discover(c, Optional.empty());
        assertThat(c.clock().measured()).isTrue();
        assertThat(c.clock().offsetMs()).isCloseTo(90_000L, within(500L));
        assertThat(s.profile()).isEqualTo("Profile_2");
        assertThat(s.node()).isEqualTo("PTZNode_1");
        assertThat(s.maxPresets()).isEqualTo(8);
        assertThat(s.absPanTilt()).as("no absolute spaces on this node").isNull();
        assertThat(s.positionPanTilt()).isEqualTo(OnvifSession.GENERIC_PAN_TILT);
        assertThat(s.relPanTilt().uri()).endsWith("TranslationGenericSpace");
        assertThat(s.velZoom().xMin()).isEqualTo(-1);
        assertThatThrownBy(() -> OnvifDiscovery.discover(c, Optional.of("Profile_1"))).isInstanceOf(PtzException.class)
                .hasMessageContaining("profile Profile_1 of camera 127.0.0.1 has no PTZ configuration");
    }

    @Test
    void onlyGenericSpacesWithARangeAreTaken() {
        Element spaces = Soap.body(Soap.parse(Soap.envelope(null, "<tt:SupportedPTZSpaces>"
                + "<tt:AbsolutePanTiltPositionSpace><tt:URI>http://vendor/degrees</tt:URI><tt:XRange><tt:Min>-180</tt:Min>"
                + "<tt:Max>180</tt:Max></tt:XRange></tt:AbsolutePanTiltPositionSpace>"
                + "<tt:AbsolutePanTiltPositionSpace><tt:URI>x/PositionGenericSpace</tt:URI><tt:XRange><tt:Min>-1</tt:Min>"
                + "<tt:Max>1</tt:Max></tt:XRange><tt:YRange><tt:Min>-0.5</tt:Min><tt:Max>1</tt:Max></tt:YRange>"
                + "</tt:AbsolutePanTiltPositionSpace>"
                + "<tt:AbsoluteZoomPositionSpace><tt:URI>y/PositionGenericSpace</tt:URI><tt:XRange><tt:Min>1</tt:Min>"
                + "<tt:Max>1</tt:Max></tt:XRange></tt:AbsoluteZoomPositionSpace></tt:SupportedPTZSpaces>")));
        OnvifSession.Space pt = OnvifDiscovery.space(spaces, "AbsolutePanTiltPositionSpace");
        assertThat(pt).isEqualTo(new OnvifSession.Space("x/PositionGenericSpace", -1, 1, -0.5, 1));
        assertThat(pt.panTilt(3, -3)).isEqualTo(new OnvifRequest.Vector("x/PositionGenericSpace", 1, -0.5));
        assertThat(OnvifDiscovery.space(spaces, "AbsoluteZoomPositionSpace")).as("an empty range").isNull();
        assertThat(OnvifDiscovery.space(spaces, "ContinuousZoomVelocitySpace")).isNull();
    }

    @Test
    void aServiceAddressKeepsItsPathOnTheConfiguredHost() {
        URI device = URI.create("http://cam.example:8080/onvif/device_service");
        assertThat(OnvifDiscovery.xaddr(device, " http://192.168.1.64/onvif/ptz_service?x=1 "))
                .isEqualTo(URI.create("http://cam.example:8080/onvif/ptz_service?x=1"));
    }
}
