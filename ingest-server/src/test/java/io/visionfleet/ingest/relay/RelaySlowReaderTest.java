package io.visionfleet.ingest.relay;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.visionfleet.ingest.testing.FrameRuns;
import io.visionfleet.ingest.testing.ReferenceClip;
import io.visionfleet.ingest.testing.RtspReader;
import io.visionfleet.ingest.testing.TestRelay;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A reader that stops reading its socket until its queue overflows: the relay drops whole pictures for it alone,
 * counts them, and resumes it at an IDR; another reader loses no picture meanwhile.
 */
@QuarkusTest
@TestProfile(RelaySlowReaderTest.SmallQueues.class)
@Tag("integration")
class RelaySlowReaderTest {
    private static final Duration WITHIN = Duration.ofSeconds(30);

    /** Queues small enough that seconds of a 640x480 stream overflow them. */
    public static class SmallQueues implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("fleet.relay.reader-queue-bytes", "262144", "fleet.relay.send-buffer-bytes", "32768");
        }
    }

    @Inject
    TestRelay relay;

    @Test
    void stalledReaderDropsAndResynchronisesWithoutSlowingTheOther() throws Exception {
        ReferenceClip clip = ReferenceClip.synthetic(640, 480, 30, 30, 60);
        List<String> cliDigests = FfmpegCli.framemd5(clip.annexB());
        String url = relay.url("slow");
        try (TestRelay.FedStream fed = relay.feed("slow", clip)) {
            RelayStream stream = fed.stream();
            await().atMost(WITHIN).until(stream::hasParameterSets);
            try (CliReader slow = new CliReader(url)) {
                await().atMost(WITHIN).until(() -> stream.stats().readers().size() == 1);
                String slowId = stream.stats().readers().get(0).id();
                try (RtspReader fast = RtspReader.open(url)) {
                    await().atMost(WITHIN).until(() -> slow.count() >= 30 && fast.count() >= 30);

                    slow.signal("STOP");
                    long stalled = System.nanoTime();
                    int fastAtStall = fast.count();
                    await().atMost(WITHIN).pollInterval(Duration.ofMillis(250)).until(() -> reader(stream, slowId).drops() > 0);
                    assertThat(reader(stream, slowId).queuedBytes()).as("the stalled reader's queue holds data").isPositive();
                    System.out.printf("stalled reader: drops after %d ms; the other reader decoded %d pictures meanwhile%n",
                            (System.nanoTime() - stalled) / 1_000_000, fast.count() - fastAtStall);
                    slow.signal("CONT");
                    // it first reads what its socket still held, then gets the relay's pictures again from an IDR
                    await().atMost(WITHIN).until(() -> picturesAfterResync(slow.digests(), cliDigests) >= 30);

                    RelayStats.Reader slowStats = reader(stream, slowId);
                    assertThat(slowStats.drops()).isPositive();
                    assertThat(slowStats.state()).isEqualTo("playing");
                    assertThat(stream.stats().totalDrops()).as("only the stalled reader lost pictures")
                            .isEqualTo(slowStats.drops());
                    assertThat(fast.failure()).isNull();
                    FrameRuns.assertLoopOfClip(fast.digests(), clip.digests(), clip.gopFrames());

                    assertThat(slow.errors()).as("ffmpeg decode errors").isBlank();
                    assertCleanWithOneResync(slow.digests(), cliDigests, clip.gopFrames());
                }
            }
        }
    }

    /** Every picture is one of the clip's, consecutive, except one jump forward that lands on an IDR. */
    private static void assertCleanWithOneResync(List<String> pictures, List<String> clip, int gopFrames) {
        int jumps = 0;
        int previous = -1;
        for (String picture : pictures) {
            int index = clip.indexOf(picture);
            assertThat(index).as("a decoded picture of the source").isNotNegative();
            if (previous < 0) {
                assertThat(index % gopFrames).as("starts at an IDR").isZero();
            } else if (index != (previous + 1) % clip.size()) {
                jumps++;
                assertThat(index % gopFrames).as("resumes at an IDR").isZero();
            }
            previous = index;
        }
        assertThat(jumps).isEqualTo(1);
    }

    /** Pictures decoded after the first jump in the sequence; -1 before any jump. */
    private static int picturesAfterResync(List<String> pictures, List<String> clip) {
        int previous = -1;
        for (int i = 0; i < pictures.size(); i++) {
            int index = clip.indexOf(pictures.get(i));
            if (previous >= 0 && index != (previous + 1) % clip.size()) {
                return pictures.size() - i;
            }
            previous = index;
        }
        return -1;
    }

    private static RelayStats.Reader reader(RelayStream stream, String id) {
        return stream.stats().readers().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }
}
