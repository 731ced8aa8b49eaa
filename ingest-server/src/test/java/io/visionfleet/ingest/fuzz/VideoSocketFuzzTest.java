package io.visionfleet.ingest.fuzz;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.OpenConnections;
import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.ingest.feed.Feeds;
import io.visionfleet.ingest.stream.StreamRegistry;
import io.visionfleet.ingest.testing.PacedFeed;
import io.visionfleet.ingest.testing.ReferenceClip;
import io.visionfleet.ingest.testing.RtspReader;
import io.visionfleet.ingest.testing.TestRelay;
import io.visionfleet.ingest.testing.WsClient;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 14, the video WebSocket: seeded hostile messages over many publisher connections, NAL units over the size
 * limit, messages over the WebSocket limit and a valid 8 MB picture, which must reach a reader. Every connection
 * ends as its publisher chose unless a limit closed it with a code and reason; replies are bounded; nothing stays
 * open; a healthy stream loses no picture.
 */
@QuarkusTest
@Tag("integration")
class VideoSocketFuzzTest {
    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final int BIG_PICTURE_BYTES = 8_000_000;

    @Inject
    TestRelay relay;
    @Inject
    StreamRegistry registry;
    @Inject
    Feeds feeds;
    @Inject
    OpenConnections connections;

    @Test
    void hostilePublishersLoseOnlyTheirOwnDataWhileAHealthyStreamGoesOnUnharmed() throws Exception {
        ReferenceClip clip = ReferenceClip.synthetic(320, 240, 30, 30, 30);
        try (Fuzz fuzz = new Fuzz("video-websocket"); HealthyStream healthy = HealthyStream.start(relay, "fz-video-healthy")) {
            Footprint before = Footprint.measure();
            int openBefore = connections.listAll().size();
            HealthyStream.Mark mark = healthy.mark();

            VideoInputs inputs = new VideoInputs(fuzz.random, clip);
            int tried = 0;
            for (int session = 0; tried < fuzz.inputs; session++) {
                String stream = "fz-video-" + session;
                try (WsClient publisher = WsClient.connect("/ws/video/" + stream)) {
                    for (int n = 50 + fuzz.random.nextInt(250); n > 0 && tried < fuzz.inputs; n--, tried++) {
                        VideoInputs.Input input = inputs.next();
                        if (input.binary() != null) {
                            publisher.sendBinary(input.binary());
                        } else {
                            publisher.sendText(input.text());
                        }
                    }
                    finish(fuzz, publisher, stream);
                }
            }
            tried += floodOfTinyMessages(fuzz);
            tried += overLimits(fuzz);
            tried += bigPictureIsRelayed(fuzz, clip);
            double healthyFps = healthy.fpsSince(mark);

            await().atMost(WITHIN).untilAsserted(() -> {
                assertThat(connections.listAll()).as("WebSocket connections").hasSize(openBefore);
                assertThat(registry.all()).extracting(s -> s.id()).containsExactly("fz-video-healthy");
            });
            Footprint after = Footprint.measure();
            fuzz.report(tried, healthyFps, before, after,
                    connections.listAll().size() + " WebSocket connections open after (the healthy publisher's)");

            assertThat(fuzz.answers()).doesNotContainKey("closed by the server");
            healthy.assertUnharmed();
            assertThat(after.heapBytes()).as("heap after GC").isLessThan(before.heapBytes() + (64L << 20));
            assertThat(fuzz.unhandled()).as("failures the server logged with an exception").isEmpty();
        }
    }

    /**
     * Ends a publisher's connection once the server has handled everything sent on it: a last control message of an
     * unknown type, named for the stream, shows as the stream's last error (unless the server closed the connection
     * first). Then the close handshake brings in every reply the server wrote: at most 16, each JSON of type error or
     * ack, tallied. Returns the replies but the marker's own.
     */
    private List<String> finish(Fuzz fuzz, WsClient publisher, String stream) throws InterruptedException {
        String marker = "end-of-" + stream;
        publisher.sendText("{\"type\":\"" + marker + "\"}");
        await().atMost(WITHIN).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                .until(() -> !publisher.isOpen() || feeds.find(stream)
                        .map(stats -> String.valueOf(stats.errors().lastError()).contains(marker)).orElse(false));
        fuzz.answered(publisher.isOpen() ? "open until the publisher closed" : "closed by the server");
        publisher.close();
        List<String> replies = new ArrayList<>();
        for (String reply; (reply = publisher.pollText(Duration.ZERO)) != null; ) {
            replies.add(reply);
        }
        assertThat(replies).as("replies to one connection").hasSizeLessThanOrEqualTo(16)
                .allSatisfy(reply -> assertThat(reply).matches("\\{\"type\":\"(error|ack)\",\"message\":.*\\}"));
        replies.removeIf(reply -> reply.contains(marker));
        replies.forEach(reply -> fuzz.answered(reply.contains("\"ack\"") ? "reply ack"
                : "reply error: " + reply.replaceAll(".*\"message\":\"([a-z_ ]{1,24}).*", "$1")));
        return replies;
    }

    /** 2,000 messages of one to three bytes on one connection. */
    private int floodOfTinyMessages(Fuzz fuzz) throws InterruptedException {
        int count = 2_000;
        try (WsClient publisher = WsClient.connect("/ws/video/fz-video-flood")) {
            for (int i = 0; i < count; i++) {
                publisher.sendBinary(new byte[1 + fuzz.random.nextInt(3)]);
            }
            finish(fuzz, publisher, "fz-video-flood");
        }
        return count;
    }

    /** NAL units over the NAL limit are dropped with one reply; a message over the WebSocket limit closes with 1009. */
    private static int overLimits(Fuzz fuzz) throws Exception {
        try (WsClient publisher = WsClient.connect("/ws/video/fz-video-oversized")) {
            for (int i = 0; i < 3; i++) {
                byte[] nal = new byte[11 << 20];
                fuzz.random.nextBytes(nal);
                nal[0] = 0x65;
                publisher.sendBinary(VideoInputs.concat(new byte[]{0, 0, 0, 1}, nal, new byte[]{0, 0, 0, 1, 0x09, (byte) 0xf0}));
            }
            assertThat(publisher.reply(WITHIN)).contains("dropped invalid NAL units");
            fuzz.answered("reply error: dropped invalid NAL units");
        }
        for (int i = 0; i < 2; i++) {
            // a stream of its own each: the server may close the last one's stream only after its client saw the close
            try (WsClient tooBig = WsClient.connect("/ws/video/fz-video-too-big-" + i)) {
                tooBig.sendBinaryInFragments(new byte[17 << 20], 1 << 20);
                int code = tooBig.closeCode(WITHIN);
                assertThat(code).isEqualTo(1009);
                fuzz.answered("close " + code);
            }
        }
        return 5;
    }

    /**
     * An IDR with 8 MB of SEI between its parameter sets and its slice is relayed whole: a reader that joins decodes
     * it from the relay's cache (what follows at once exceeds the reader's queue, so it resumes at the next IDR).
     */
    private int bigPictureIsRelayed(Fuzz fuzz, ReferenceClip clip) throws Exception {
        List<byte[]> nals = new ArrayList<>(clip.accessUnits().get(0).nalUnits());
        int firstSlice = 0;
        while (AccessUnit.nalType(nals.get(firstSlice)) > 5) {
            firstSlice++;
        }
        nals.add(firstSlice, bigSei(fuzz.random));
        AccessUnit big = new AccessUnit(nals, 0);
        assertThat(big.sizeBytes()).isGreaterThan(BIG_PICTURE_BYTES);
        try (WsClient publisher = WsClient.connect("/ws/video/fz-video-big")) {
            publisher.sendBinary(ReferenceClip.annexB(big));
            for (int i = 1; i < clip.frames(); i++) {
                publisher.sendBinary(ReferenceClip.annexB(clip.accessUnits().get(i)));
            }
            try (RtspReader reader = RtspReader.openWhenServed(relay.url("fz-video-big"), WITHIN);
                 PacedFeed more = PacedFeed.over(publisher, clip)) {
                reader.awaitPictures(clip.frames(), WITHIN);
                assertThat(reader.digests().get(0)).as("the 8 MB picture, decoded").isEqualTo(clip.digests().get(0));
            }
            assertThat(finish(fuzz, publisher, "fz-video-big")).as("no complaint about it").isEmpty();
        }
        fuzz.answered("8 MB picture relayed and decoded");
        return 1;
    }

    /** A user-data SEI message (type 5) of about 8 MB whose payload has no zero byte, so it needs no emulation prevention. */
    private static byte[] bigSei(SplittableRandom random) {
        ByteArrayOutputStream sei = new ByteArrayOutputStream();
        sei.write(0x06);
        sei.write(5);
        for (int size = BIG_PICTURE_BYTES; size >= 0; size -= 255) {
            sei.write(Math.min(size, 255));
            if (size < 255) {
                break;
            }
        }
        for (int i = 0; i < BIG_PICTURE_BYTES; i++) {
            sei.write(1 + random.nextInt(255));
        }
        sei.write(0x80); // rbsp trailing bits
        return sei.toByteArray();
    }
}
