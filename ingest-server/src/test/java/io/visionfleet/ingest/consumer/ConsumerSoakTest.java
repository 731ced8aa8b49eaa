package io.visionfleet.ingest.consumer;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.common.consumer.StreamState;
import io.visionfleet.common.testing.BrokerResource;
import io.visionfleet.ingest.testing.ReferenceClip;
import io.visionfleet.ingest.testing.TestRelay;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Soak: a decoded-mode consumer and a packet-mode consumer pull a 640x480 30 fps stream for
 * {@code -Dfleet.soak.minutes} minutes while the process's resident memory is sampled, each sample also appended to
 * {@code target/soak-rss.csv}. Not part of the normal suite (it is a measurement); run it with a fixed, pre-touched
 * heap, so that heap sizing does not read as growth:
 * {@code ./mvnw -pl ingest-server -am test -Dtest=ConsumerSoakTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dfleet.soak.minutes=60 -DargLine="-Xms256m -Xmx256m -XX:+AlwaysPreTouch"}.
 */
@QuarkusTest
@WithTestResource(BrokerResource.class)
@EnabledIfSystemProperty(named = "fleet.soak.minutes", matches = "\\d+")
@Tag("integration")
class ConsumerSoakTest {
    private static final Logger LOG = Logger.getLogger(ConsumerSoakTest.class);
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(15);
    /** epoch ms, frames in, RSS KiB: kept even when the run ends abnormally. */
    private static final Path SAMPLES = Path.of("target", "soak-rss.csv");

    @Inject
    TestRelay relay;

    @Test
    void residentMemoryStaysFlatWhileFramesFlow() throws Exception {
        Duration soak = Duration.ofMinutes(Long.getLong("fleet.soak.minutes"));
        ReferenceClip clip = ReferenceClip.synthetic(640, 480, 30, 60, 300);
        String relayUrl = relay.url("");
        try (TestRelay.FedStream fed = relay.feed("soak", clip);
             TimedConsumer decoded = new TimedConsumer(relayUrl, Duration.ofMillis(5), 0);
             RemuxingConsumer packets = new RemuxingConsumer(relayUrl, Files.createTempFile("soak", ".mp4"), false)) {
            decoded.follow("soak");
            packets.follow("soak");
            StreamState state = decoded.stream("soak").orElseThrow();
            await().atMost(Duration.ofSeconds(30)).until(() -> state.framesIn() >= 300); // warm-up: JIT, pools, heap

            List<Long> rssKb = new ArrayList<>();
            long end = System.nanoTime() + soak.toNanos();
            while (System.nanoTime() < end) {
                long frames = state.framesIn();
                // a sample every period, once frames still flow (how many is the machine's load's, and logged)
                await().pollDelay(SAMPLE_EVERY).atMost(SAMPLE_EVERY.multipliedBy(2)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> state.framesIn() > frames);
                rssKb.add(residentKb());
                Files.writeString(SAMPLES, System.currentTimeMillis() + "," + state.framesIn() + "," + rssKb.get(rssKb.size() - 1) + "\n",
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                LOG.infof("soak: %d frames in, %d processed, %d packets, RSS %d MiB", state.framesIn(),
                        state.framesProcessed(), packets.packets(), rssKb.get(rssKb.size() - 1) / 1024);
            }
            long growthKb = rssKb.get(rssKb.size() - 1) - rssKb.get(0);
            LOG.infof("soak over %s: RSS samples (KiB) %s, growth %d KiB", soak, rssKb, growthKb);
            assertThat(growthKb).as("RSS growth after warm-up").isLessThan(64 * 1024);
        }
    }

    private static long residentKb() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")))
                .findFirst().orElseThrow();
    }
}
