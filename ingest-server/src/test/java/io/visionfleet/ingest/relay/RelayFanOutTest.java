package io.visionfleet.ingest.relay;

import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.ingest.testing.FrameRuns;
import io.visionfleet.ingest.testing.PacedFeed;
import io.visionfleet.ingest.testing.ReferenceClip;
import io.visionfleet.ingest.testing.RtspReader;
import io.visionfleet.ingest.testing.TestRelay;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Real RTSP readers of the relay: what they decode, which capture time they see, where a late joiner starts. */
@QuarkusTest
@Tag("integration")
class RelayFanOutTest {
    private static final Duration WITHIN = Duration.ofSeconds(30);

    @Inject
    TestRelay relay;

    @Test
    void threeSimultaneousReadersDecodeTheSourceExactlyAndAgreeOnCaptureTimes() throws Exception {
        ReferenceClip clip = ReferenceClip.synthetic(320, 240, 30, 30, 90);
        List<String> clipCliDigests = FfmpegCli.framemd5(clip.annexB());
        try (TestRelay.FedStream fed = relay.feed("fanout", clip)) {
            RelayStream stream = fed.stream();
            await().atMost(WITHIN).until(stream::hasParameterSets);
            String url = relay.url("fanout");
            try (RtspReader first = RtspReader.open(url)) {
                Process cli = FfmpegCli.readRelay("error", url, "-frames:v", "60");
                await().atMost(WITHIN).until(() -> first.count() >= 20); // the third reader joins mid-GOP
                try (RtspReader third = RtspReader.open(url)) {
                    await().atMost(WITHIN).until(() -> first.count() >= 75 && third.count() >= 60);
                    assertThat(cli.waitFor(WITHIN.toSeconds(), TimeUnit.SECONDS)).isTrue();
                    String errors = new String(cli.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertThat(cli.exitValue()).as(errors).isZero();
                    assertThat(errors).isBlank();
                    List<String> cliDigests = FfmpegCli.md5s(cli.getInputStream());

                    assertDecodesClip(first, fed.feed(), clip);
                    assertDecodesClip(third, fed.feed(), clip);
                    assertThat(cliDigests).hasSize(60);
                    FrameRuns.assertLoopOfClip(cliDigests, clipCliDigests, clip.gopFrames());
                    assertThat(stream.stats().totalDrops()).isZero();
                }
            }
        }
    }

    /**
     * A late joiner gets the cached GOP: its first picture is the IDR that opened the GOP a second earlier, though no
     * other IDR follows (the feed is one five-second GOP), however long joining takes. How long it took is printed.
     */
    @Test
    void aLateJoinerStartsAtTheCachedIdrThoughNoOtherFollows() throws Exception {
        ReferenceClip clip = ReferenceClip.synthetic(320, 240, 30, 150, 150);
        try (TestRelay.FedStream fed = relay.feed("late", clip, clip.frames())) {
            PacedFeed feed = fed.feed();
            await().atMost(WITHIN).until(() -> feed.published() >= 30);
            String url = relay.url("late");

            try (RtspProbe warmUp = RtspProbe.connect(relay.port())) {
                warmUp.play(url); // loads and compiles the join path once, as in any relay that served a reader before
                firstPicture(warmUp);
            }
            try (RtspProbe client = RtspProbe.connect(relay.port())) {
                RtspProbe.Response describe = client.request("DESCRIBE", url);
                client.request("SETUP", describe.header("content-base") + "trackID=0",
                        "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
                long playNanos = System.nanoTime();
                assertThat(client.request("PLAY", describe.header("content-base")).status()).isEqualTo(200);
                ReceivedReport report = ReceivedReport.parse(client.readFrame().payload());
                Received first = firstPicture(client);
                System.out.printf("late joiner: first picture %d ms after PLAY%n",
                        TimeUnit.NANOSECONDS.toMillis(first.receivedNanos() - playNanos));
                assertThat(first.unit().isIdr()).isTrue();
                assertThat(report.epochMs()).as("the GOP's IDR, captured before the join").isEqualTo(feed.captureTs(0));
                assertThat(first.unit().rtpTimestamp()).isEqualTo(report.rtpTimestamp());
            }

            long startMs = System.currentTimeMillis();
            try (RtspReader reader = RtspReader.open(url)) {
                await().atMost(WITHIN).until(() -> reader.count() >= 1);
                RtspReader.Picture first = reader.pictures().get(0);
                System.out.printf("late joiner: connect, DESCRIBE, SETUP, PLAY and the first decoded picture in %d ms%n",
                        first.decodedMs() - startMs);
                assertThat(feed.pictureAt(first.captureTs())).as("the cached IDR").isZero();
                assertThat(first.digest()).isEqualTo(clip.digests().get(0));
            }
        }
    }

    private record Received(PacketizationChecker.Unit unit, long receivedNanos) {
    }

    /** Reads up to the first complete picture, skipping sender reports. */
    private static Received firstPicture(RtspProbe client) {
        PacketizationChecker checker = new PacketizationChecker();
        while (true) {
            RtspProbe.Frame frame = client.readFrame();
            if (frame.channel() == 0) {
                PacketizationChecker.Unit unit = checker.accept(RtpPacket.parse(frame.payload()));
                if (unit != null) {
                    return new Received(unit, frame.receivedNanos());
                }
            }
        }
    }

    /** Every picture is the clip's picture for its capture time, in order from an IDR, with nothing missing. */
    private static void assertDecodesClip(RtspReader reader, PacedFeed feed, ReferenceClip clip) {
        assertThat(reader.failure()).isNull();
        List<RtspReader.Picture> pictures = reader.pictures();
        long previous = -1;
        for (RtspReader.Picture p : pictures) {
            long picture = feed.pictureAt(p.captureTs());
            assertThat(feed.captureTs(picture)).as("capture time of a published picture").isEqualTo(p.captureTs());
            assertThat(p.digest()).as("picture %d", picture).isEqualTo(clip.digests().get((int) (picture % clip.frames())));
            if (previous < 0) {
                assertThat(picture % clip.gopFrames()).as("first picture is an IDR").isZero();
            } else {
                assertThat(picture).isEqualTo(previous + 1);
            }
            previous = picture;
        }
    }
}
