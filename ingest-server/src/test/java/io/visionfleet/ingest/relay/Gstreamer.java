package io.visionfleet.ingest.relay;

import io.visionfleet.ingest.testing.OnPath;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** GStreamer's {@code gst-launch-1.0} as an independent RTSP reader of the relay, when it is installed. */
final class Gstreamer {
    private Gstreamer() {
    }

    static boolean installed() {
        return OnPath.find("gst-launch-1.0").isPresent();
    }

    /** Plays {@code url} over TCP through {@code depayloader} and {@code decoder}; asserts 45 pictures decode and it exits cleanly. */
    static void assertPlays(String url, String depayloader, String decoder, Duration within) throws Exception {
        Process gst = new ProcessBuilder("gst-launch-1.0", "-q", "rtspsrc", "location=" + url, "protocols=tcp",
                "!", depayloader, "!", decoder, "!", "identity", "eos-after=45", "!", "fakesink")
                .redirectErrorStream(true).start();
        boolean finished = gst.waitFor(within.toSeconds(), TimeUnit.SECONDS);
        if (!finished) {
            gst.destroyForcibly();
        }
        String output = new String(gst.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(finished).as(output).isTrue();
        assertThat(gst.exitValue()).as(output).isZero();
    }
}
