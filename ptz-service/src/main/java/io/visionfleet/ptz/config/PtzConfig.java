package io.visionfleet.ptz.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** ptz-service configuration ({@code fleet.ptz.*}); docs/ptz.md lists every key. */
@ConfigMapping(prefix = "fleet.ptz")
public interface PtzConfig {
    /** The PTZ cameras, by camera id (letters, digits, '-', '_'). */
    Map<String, Camera> cameras();

    /** How often each camera's state goes to ptz_commands_exchange even when nothing is commanded. */
    @WithDefault("1s")
    Duration stateInterval();

    interface Camera {
        /** Stream id of the camera's picture on the relay (frame-processor's results name it). */
        String stream();

        /** Horizontal field of view at 1x zoom, degrees. */
        @WithDefault("60")
        double hfovDeg();

        @WithDefault("1")
        double zoomMin();

        @WithDefault("20")
        double zoomMax();

        @WithDefault("-170")
        double panMin();

        @WithDefault("170")
        double panMax();

        @WithDefault("-30")
        double tiltMin();

        @WithDefault("30")
        double tiltMax();

        /** {@code wall} (upright picture) or {@code ceiling} (mounted upside down: picture and tilt inverted). */
        @WithDefault("wall")
        String mounting();

        /** {@code simulator}, {@code isapi} or {@code onvif}. */
        @WithDefault("simulator")
        String driver();

        /** Home position, the camera's preset 1, where it returns when nothing is tracked. */
        @WithDefault("0")
        double homePan();

        @WithDefault("0")
        double homeTilt();

        @WithDefault("1")
        double homeZoom();

        /** Cameras a target may be handed to, each with the side of this camera's coverage it lies on. */
        Map<String, String> neighbours();

        Control control();

        Appearance appearance();

        Isapi isapi();

        Onvif onvif();

        Simulator simulator();
    }

    /** Tracking behaviour and loop tuning. */
    interface Control {
        /** {@code off}, {@code manual} or {@code auto} at start-up. */
        @WithDefault("auto")
        String mode();

        /** {@code follow}, {@code center_group} or {@code handoff}. */
        @WithDefault("follow")
        String policy();

        /** Which target {@code follow} picks: {@code largest}, {@code fastest} or {@code id}. */
        @WithDefault("largest")
        String followBy();

        /** Labels the policies consider; empty for all. */
        Optional<List<String>> labels();

        /** Error ignored around the picture centre, as a fraction of the half-frame. */
        @WithDefault("0.05")
        double deadZone();

        /** EMA weight of the newest speed command (1 = no smoothing). */
        @WithDefault("0.6")
        double emaAlpha();

        @WithDefault("2.5")
        double kp();

        @WithDefault("0.4")
        double ki();

        @WithDefault("0.05")
        double kd();

        /** Target height in the picture, as fractions of its height, that zoom keeps. */
        @WithDefault("0.25")
        double heightLow();

        @WithDefault("0.45")
        double heightHigh();

        /** Margin around the group box of {@code center_group}, as a fraction of its size. */
        @WithDefault("0.2")
        double groupMargin();

        /** A target slower than this (degrees/s) for {@code stationary-release} is let go. */
        @WithDefault("0.5")
        double stationarySpeed();

        @WithDefault("10s")
        Duration stationaryRelease();

        /** With nothing tracked for this long, the camera goes home. */
        @WithDefault("3s")
        Duration returnHomeAfter();

        /** How long a move from the API keeps automatic control off. */
        @WithDefault("15s")
        Duration manualHold();

        /**
         * A result captured longer ago than this is ignored: where the camera pointed then is no longer known, and
         * steering by it would predict the target over the whole gap (a publisher replays what it kept through a
         * broker outage). Results normally arrive 100-300 ms after capture.
         */
        @WithDefault("2s")
        Duration maxResultAge();

        /** Delay from frame capture to the camera acting on a command, before calibration refines it. */
        @WithDefault("150ms")
        Duration actuationDelay();

        /** Least interval between two commands to the camera (HTTP cameras want a few per second at most). */
        @WithDefault("0ms")
        Duration commandInterval();

        /** Pan speed of the driver's full speed (1.0), degrees/s; the simulator's motor limit. */
        @WithDefault("60")
        double maxPanSpeed();

        @WithDefault("40")
        double maxTiltSpeed();

        /** Zoom change at full zoom speed, in factors per second (2 = doubles each second). */
        @WithDefault("2")
        double maxZoomRate();
    }

    /**
     * Appearance matching of handoffs: the colour histogram of a target's mask, taken from the camera's recent
     * pictures (a simulated camera's rendering, or its stream decoded from the relay by the RTSP consumer).
     */
    interface Appearance {
        /** Keep pictures and compare colours on handoff; off: position, time and label only. */
        @WithDefault("true")
        boolean enabled();

        /** Share of the handoff score given to colour (the rest to position): 0 ranks by position only. */
        @WithDefault("0.5")
        double weight();

        /** A candidate whose Bhattacharyya coefficient with the handed-off target is below this is rejected. */
        @WithDefault("0.5")
        double minSimilarity();

        /**
         * A track that walks off from the standing target is taken only with at least this coefficient with the
         * target's colours: lower than {@code min-similarity}, as position, time and speed already single it out and
         * the colours need only rule out another object (the target's model holds some of its ghost by then).
         */
        @WithDefault("0.25")
        double relockMinSimilarity();

        /** Pictures kept per camera (results arrive 100-300 ms after capture). */
        @WithDefault("16")
        int ringFrames();

        /** A result's capture time matches a picture at most this far from it. */
        @WithDefault("40ms")
        Duration tolerance();

        /** Pictures are downscaled to at most this width before they are kept. */
        @WithDefault("160")
        int width();
    }

    interface Isapi {
        /** Base URL, e.g. http://192.168.1.64 */
        Optional<String> url();

        @WithDefault("admin")
        String username();

        Optional<String> password();

        @WithDefault("1")
        int channel();

        @WithDefault("3s")
        Duration timeout();

        /** First wait after the camera refused the credentials; doubles on each further refusal. */
        @WithDefault("60s")
        Duration authBackoff();

        /** A continuous move not renewed within this is stopped by the driver (the controller renews every 250 ms). */
        @WithDefault("1s")
        Duration continuousPulse();
    }

    interface Onvif {
        /** Device service URL, e.g. http://192.168.1.64/onvif/device_service */
        Optional<String> url();

        @WithDefault("admin")
        String username();

        Optional<String> password();

        /** Media profile token; unset: the first profile with a PTZ configuration. */
        Optional<String> profile();

        @WithDefault("3s")
        Duration timeout();

        /** First wait after the camera refused the credentials; doubles on each further refusal. */
        @WithDefault("60s")
        Duration authBackoff();

        /** Timeout of a continuous move: the camera stops by itself unless renewed (the controller renews every 250 ms). */
        @WithDefault("1s")
        Duration continuousTimeout();

        /** Degrees the ends of the generic pan space (x = -1 and 1 on most cameras) stand for. */
        @WithDefault("-180")
        double panDegMin();

        @WithDefault("180")
        double panDegMax();

        /** Degrees the ends of the generic tilt space stand for. */
        @WithDefault("-90")
        double tiltDegMin();

        @WithDefault("90")
        double tiltDegMax();
    }

    interface Simulator {
        /** Publish the simulated view into the relay (ingest-server WebSocket base, e.g. ws://localhost:8080). */
        Optional<String> ingestUrl();

        /** User of the ingest server's publish credentials; unset: the user info of {@code ingest-url}, if any, else none. */
        Optional<String> publishUser();

        /** Its password; never logged. */
        Optional<String> publishPassword();

        @WithDefault("640")
        int width();

        @WithDefault("360")
        int height();

        @WithDefault("15")
        double fps();

        /** Delay before the motors act on a command. */
        @WithDefault("80ms")
        Duration latency();

        /** World scenario: {@code runner} (one target walking across), {@code pair} (two, opposite ways) or {@code decoy}. */
        @WithDefault("runner")
        String world();

        /** Seconds of one pass of the world's script, after which it repeats. */
        @WithDefault("40")
        double worldSeconds();
    }
}
