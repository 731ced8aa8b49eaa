package io.visionfleet.ptz.onvif;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import java.time.Duration;
import java.util.List;

import static io.visionfleet.ptz.onvif.Soap.TDS;
import static io.visionfleet.ptz.onvif.Soap.TPTZ;
import static io.visionfleet.ptz.onvif.Soap.TRT;
import static io.visionfleet.ptz.onvif.Soap.TT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The request bodies, read back through an envelope with the parser the driver uses for answers. */
@Tag("quick")
class OnvifRequestTest {
    private static final String POSITION = "http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace";

    /** The body element of {@code r} wrapped in the envelope the client sends. */
    private static Element parsed(OnvifRequest r) {
        Element body = Soap.body(Soap.parse(Soap.envelope(null, r.body())));
        assertThat(body.getNamespaceURI()).isEqualTo(r.ns());
        assertThat(body.getLocalName()).isEqualTo(r.op());
        return body;
    }

    @Test
    void theBuilderEscapesEveryValueAndLeavesOutNulls() {
        String xml = new SoapBody().open("a", "k", "x\"<&'>", "gone", null).text("b", "1 < 2 & 'q'").text("c", null)
                .empty("d", "v", "1").xml();
        assertThat(xml).isEqualTo("<a k=\"x&quot;&lt;&amp;&apos;&gt;\"><b>1 &lt; 2 &amp; &apos;q&apos;</b><d v=\"1\"/></a>");
        assertThatThrownBy(() -> new SoapBody().empty("e", "odd")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aHostileProfileTokenStaysText() {
        Element stop = parsed(OnvifRequest.stop("P</tptz:ProfileToken><tptz:Evil/>"));
        assertThat(Soap.text(Soap.child(stop, TPTZ, "ProfileToken"))).isEqualTo("P</tptz:ProfileToken><tptz:Evil/>");
        assertThat(Soap.child(stop, TPTZ, "Evil")).isNull();
        assertThat(Soap.text(Soap.child(stop, TPTZ, "PanTilt"))).isEqualTo("true");
        assertThat(Soap.text(Soap.child(stop, TPTZ, "Zoom"))).isEqualTo("true");
    }

    @Test
    void movesCarryTheirVectorsSpacesAndTimeout() {
        OnvifRequest.Vector panTilt = new OnvifRequest.Vector(POSITION, 0.5, -0.25);
        Element move = parsed(OnvifRequest.continuousMove("Profile_2", panTilt, new OnvifRequest.Vector(null, 1e-7, null),
                Duration.ofMillis(400)));
        Element velocity = Soap.child(move, TPTZ, "Velocity");
        Element pt = Soap.child(velocity, TT, "PanTilt");
        assertThat(pt.getAttribute("x")).isEqualTo("0.5");
        assertThat(pt.getAttribute("y")).isEqualTo("-0.25");
        assertThat(pt.getAttribute("space")).isEqualTo(POSITION);
        Element zoom = Soap.child(velocity, TT, "Zoom");
        assertThat(zoom.getAttribute("x")).as("no exponent").isEqualTo("0");
        assertThat(zoom.hasAttribute("y")).isFalse();
        assertThat(zoom.hasAttribute("space")).isFalse();
        assertThat(Soap.text(Soap.child(move, TPTZ, "Timeout"))).isEqualTo("PT0.4S");

        Element abs = parsed(OnvifRequest.absoluteMove("Profile_2", panTilt, null));
        assertThat(Soap.child(Soap.child(abs, TPTZ, "Position"), TT, "PanTilt").getAttribute("x")).isEqualTo("0.5");
        assertThat(Soap.child(Soap.child(abs, TPTZ, "Position"), TT, "Zoom")).as("no zoom space, no zoom").isNull();
        Element rel = parsed(OnvifRequest.relativeMove("Profile_2", panTilt, null));
        assertThat(Soap.child(Soap.child(rel, TPTZ, "Translation"), TT, "PanTilt").getAttribute("y")).isEqualTo("-0.25");
    }

    @Test
    void presetsStatusAndDiscoveryRequests() {
        Element set = parsed(OnvifRequest.setPreset("Profile_2", "3", null));
        assertThat(Soap.text(Soap.child(set, TPTZ, "PresetName"))).isEqualTo("3");
        assertThat(Soap.child(set, TPTZ, "PresetToken")).as("a new preset: the device picks the token").isNull();
        assertThat(Soap.text(Soap.child(parsed(OnvifRequest.setPreset("Profile_2", "3", "T101")), TPTZ, "PresetToken")))
                .isEqualTo("T101");
        assertThat(Soap.text(Soap.child(parsed(OnvifRequest.gotoPreset("Profile_2", "T101")), TPTZ, "PresetToken")))
                .isEqualTo("T101");
        assertThat(Soap.text(Soap.child(parsed(OnvifRequest.getStatus("Profile_2")), TPTZ, "ProfileToken")))
                .isEqualTo("Profile_2");
        assertThat(Soap.text(Soap.child(parsed(OnvifRequest.getServices()), TDS, "IncludeCapability"))).isEqualTo("false");
        assertThat(Soap.text(Soap.child(parsed(OnvifRequest.getCapabilities()), TDS, "Category"))).isEqualTo("All");
        for (OnvifRequest r : List.of(OnvifRequest.getSystemDateAndTime(), OnvifRequest.getProfiles(),
                OnvifRequest.getNodes(), OnvifRequest.getPresets("p"))) {
            parsed(r);
        }
        assertThat(OnvifRequest.getProfiles().ns()).isEqualTo(TRT);
        assertThat(OnvifRequest.num(0.1 + 0.2)).isEqualTo("0.3");
        assertThat(OnvifRequest.num(-1)).isEqualTo("-1");
    }
}
