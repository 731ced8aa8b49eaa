package io.visionfleet.ingest.relay;

import io.visionfleet.ingest.testing.OnPath;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * GStreamer's {@code gst-launch-1.0} as an independent RTSP reader of the relay, when it and the elements a pipeline
 * needs are installed ({@code ./fleet test} installs them: gstreamer1.0-tools, -plugins-good, -plugins-bad, -libav).
 */
final class Gstreamer {
    private Gstreamer() {
    }

    /** Skips the test, naming what is missing, unless gst-launch-1.0 and rtspsrc, {@code depayloader} and {@code decoder} are there. */
    static void assumeElements(String depayloader, String decoder) throws Exception {
        assumeTrue(OnPath.find("gst-launch-1.0").isPresent() && OnPath.find("gst-inspect-1.0").isPresent(),
                "gst-launch-1.0 is not installed");
        List<String> missing = new ArrayList<>();
        for (String element : List.of("rtspsrc", depayloader, decoder)) {
            Process inspect = new ProcessBuilder("gst-inspect-1.0", "--exists", element)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!inspect.waitFor(30, TimeUnit.SECONDS) || inspect.exitValue() != 0) {
                inspect.destroyForcibly();
                missing.add(element);
            }
        }
        assumeTrue(missing.isEmpty(), "GStreamer lacks " + missing + " (gstreamer1.0-plugins-good, -plugins-bad, -libav)");
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
