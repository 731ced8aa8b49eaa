package io.visionfleet.ptz.onvif;

import java.math.BigDecimal;
import java.time.Duration;

import static io.visionfleet.ptz.onvif.Soap.TDS;
import static io.visionfleet.ptz.onvif.Soap.TPTZ;
import static io.visionfleet.ptz.onvif.Soap.TRT;

/**
 * One ONVIF operation: its service namespace and name (which make the SOAP action and the expected
 * {@code <op>Response}) and its body, built by {@link SoapBody} from typed arguments. Every request the driver sends
 * comes from a factory here.
 */
record OnvifRequest(String ns, String op, String body) {
    /** A point or vector of a PTZ space: {@code x}, {@code y} (null for zoom), the space's URI (null: the default). */
    record Vector(String space, double x, Double y) {
        void write(SoapBody b, String name) {
            b.empty(name, "x", num(x), "y", y == null ? null : num(y), "space", space);
        }
    }

    static OnvifRequest getSystemDateAndTime() {
        return device("GetSystemDateAndTime", new SoapBody());
    }

    static OnvifRequest getServices() {
        return device("GetServices", new SoapBody().text("tds:IncludeCapability", "false"));
    }

    static OnvifRequest getCapabilities() {
        return device("GetCapabilities", new SoapBody().text("tds:Category", "All"));
    }

    static OnvifRequest getProfiles() {
        return new OnvifRequest(TRT, "GetProfiles", wrap("trt:GetProfiles", new SoapBody()));
    }

    static OnvifRequest getNodes() {
        return ptz("GetNodes", new SoapBody());
    }

    static OnvifRequest getStatus(String profile) {
        return ptz("GetStatus", profile(profile));
    }

    static OnvifRequest getPresets(String profile) {
        return ptz("GetPresets", profile(profile));
    }

    /** Moves at {@code velocity} until {@code timeout} (the camera stops by itself unless renewed). */
    static OnvifRequest continuousMove(String profile, Vector panTilt, Vector zoom, Duration timeout) {
        SoapBody b = profile(profile).open("tptz:Velocity");
        vectors(b, panTilt, zoom).close().text("tptz:Timeout", timeout.toString());
        return ptz("ContinuousMove", b);
    }

    static OnvifRequest absoluteMove(String profile, Vector panTilt, Vector zoom) {
        return ptz("AbsoluteMove", vectors(profile(profile).open("tptz:Position"), panTilt, zoom).close());
    }

    static OnvifRequest relativeMove(String profile, Vector panTilt, Vector zoom) {
        return ptz("RelativeMove", vectors(profile(profile).open("tptz:Translation"), panTilt, zoom).close());
    }

    /** Stops pan/tilt and zoom. */
    static OnvifRequest stop(String profile) {
        return ptz("Stop", profile(profile).text("tptz:PanTilt", "true").text("tptz:Zoom", "true"));
    }

    static OnvifRequest gotoPreset(String profile, String token) {
        return ptz("GotoPreset", profile(profile).text("tptz:PresetToken", token));
    }

    /** Stores the position as preset {@code name}, overwriting preset {@code token} when it is not null. */
    static OnvifRequest setPreset(String profile, String name, String token) {
        return ptz("SetPreset", profile(profile).text("tptz:PresetName", name).text("tptz:PresetToken", token));
    }

    /** A number as xs:float text (no exponent, no locale). */
    static String num(double v) {
        return BigDecimal.valueOf(Math.round(v * 1e6) / 1e6).stripTrailingZeros().toPlainString();
    }

    private static SoapBody profile(String profile) {
        return new SoapBody().text("tptz:ProfileToken", profile);
    }

    /** Pan/tilt, then zoom when there is one, as the schema orders them. */
    private static SoapBody vectors(SoapBody b, Vector panTilt, Vector zoom) {
        panTilt.write(b, "tt:PanTilt");
        if (zoom != null) {
            zoom.write(b, "tt:Zoom");
        }
        return b;
    }

    private static OnvifRequest device(String op, SoapBody content) {
        return new OnvifRequest(TDS, op, wrap("tds:" + op, content));
    }

    private static OnvifRequest ptz(String op, SoapBody content) {
        return new OnvifRequest(TPTZ, op, wrap("tptz:" + op, content));
    }

    private static String wrap(String element, SoapBody content) {
        return "<" + element + ">" + content.xml() + "</" + element + ">";
    }
}
