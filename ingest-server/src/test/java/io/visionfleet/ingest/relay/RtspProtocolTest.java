package io.visionfleet.ingest.relay;

import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.ingest.stream.StreamRegistry;
import io.visionfleet.ingest.testing.ReferenceClip;
import io.visionfleet.ingest.testing.RtspReader;
import io.visionfleet.ingest.testing.TestRelay;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The relay's answers to real RTSP clients, well-behaved and not. */
@QuarkusTest
@Tag("integration")
class RtspProtocolTest {
    private static final Duration WITHIN = Duration.ofSeconds(30);

    @Inject
    StreamRegistry registry;
    @Inject
    TestRelay relay;
    @Inject
    RtspServer server;

    @Test
    void answersTheSessionMethodsInOrderAndRefusesWhatItDoesNotServe() {
        RelayStream stream = registry.open("proto", "test");
        stream.publish(TestNals.idr(System.currentTimeMillis(), 500));
        String url = relay.url("proto");
        try (RtspProbe client = RtspProbe.connect(relay.port())) {
            RtspProbe.Response options = client.request("OPTIONS", url);
            assertThat(options.status()).isEqualTo(200);
            assertThat(options.header("CSeq")).isEqualTo("1");
            assertThat(options.header("Public")).isEqualTo("OPTIONS, DESCRIBE, SETUP, PLAY, GET_PARAMETER, TEARDOWN");

            assertThat(client.request("PLAY", url).status()).as("PLAY before SETUP").isEqualTo(455);
            RtspProbe.Response record = client.request("RECORD", url);
            assertThat(record.status()).isEqualTo(405);
            assertThat(record.header("Allow")).contains("DESCRIBE");
            assertThat(client.request("FOO", url).status()).isEqualTo(501);

            RtspProbe.Response describe = client.request("DESCRIBE", url, "Accept: application/sdp");
            assertThat(describe.status()).isEqualTo(200);
            assertThat(describe.header("Content-Type")).isEqualTo("application/sdp");
            assertThat(describe.header("Content-Base")).isEqualTo(url + "/");
            assertThat(describe.body()).contains("m=video 0 RTP/AVP 96", "a=control:trackID=0",
                    "packetization-mode=1;profile-level-id=42c01e;sprop-parameter-sets=Z0LAHtkAoEf+yA==,aM48gA==");

            RtspProbe.Response udp = client.request("SETUP", url + "/trackID=0",
                    "Transport: RTP/AVP;unicast;client_port=5000-5001");
            assertThat(udp.status()).isEqualTo(461);
            assertThat(udp.header("CSeq")).isEqualTo("6");

            RtspProbe.Response setup = client.request("SETUP", url + "/trackID=0",
                    "Transport: RTP/AVP;unicast;client_port=5000-5001,RTP/AVP/TCP;unicast;interleaved=2-3");
            assertThat(setup.status()).isEqualTo(200);
            assertThat(setup.header("Transport")).isEqualTo("RTP/AVP/TCP;unicast;interleaved=2-3");
            assertThat(setup.header("Session")).matches("[0-9a-f]{16};timeout=60");

            RtspProbe.Response play = client.request("PLAY", url + "/");
            assertThat(play.status()).isEqualTo(200);
            RtspProbe.Frame report = client.readFrame();
            assertThat(report.channel()).isEqualTo(3);
            assertThat(ReceivedReport.parse(report.payload()).ssrc()).isEqualTo(stream.ssrc());
            assertThat(client.readFrame().channel()).isEqualTo(2);

            assertThat(client.request("SETUP", url + "/trackID=0", "Transport: RTP/AVP/TCP;interleaved=0-1").status())
                    .as("SETUP while playing").isEqualTo(455);
            assertThat(client.request("GET_PARAMETER", url + "/").status()).isEqualTo(200);
            assertThat(client.request("TEARDOWN", url + "/").status()).isEqualTo(200);
            await().atMost(WITHIN).until(() -> stream.stats().readers().isEmpty());
        } finally {
            registry.close(stream);
        }
    }

    @Test
    void unknownStreamIs404AndStreamWithoutParameterSetsIs503() {
        RelayStream empty = registry.open("no-sps-yet", "test");
        try (RtspProbe client = RtspProbe.connect(relay.port())) {
            RtspProbe.Response unknown = client.request("DESCRIBE", relay.url("nobody"));
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.body()).contains("no stream 'nobody'");
            assertThat(client.request("DESCRIBE", relay.url("proto/trackID=7")).status()).isEqualTo(404);
            RtspProbe.Response waiting = client.request("DESCRIBE", relay.url("no-sps-yet"));
            assertThat(waiting.status()).isEqualTo(503);
            assertThat(waiting.header("CSeq")).isEqualTo("3");
        } finally {
            registry.close(empty);
        }
    }

    /** Hostile input gets 400 (and a closed connection when it cannot be framed) while a reader keeps playing. */
    @Test
    void malformedRequestsGetErrorsWhileAnotherReaderKeepsReceivingFrames() throws Exception {
        try (TestRelay.FedStream fed = relay.feed("robust", ReferenceClip.synthetic(320, 240, 30, 30, 60))) {
            await().atMost(WITHIN).until(fed.stream()::hasParameterSets);
            try (RtspReader reader = RtspReader.open(relay.url("robust"))) {
                await().atMost(WITHIN).until(() -> reader.count() >= 10);

                try (RtspProbe client = RtspProbe.connect(relay.port())) {
                    client.send("OPTIONS * RTSP/1.0\r\nCSeq: abc\r\n\r\n");
                    RtspProbe.Response badCseq = client.readResponse();
                    assertThat(badCseq.status()).isEqualTo(400);
                    assertThat(badCseq.header("CSeq")).isNull();
                    assertThat(badCseq.body()).contains("CSeq");
                    client.send(new byte[]{'$', 1, 0, 8, (byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, 1});
                    assertThat(client.request("OPTIONS", relay.url("robust")).status())
                            .as("the connection survives a bad CSeq and an RTCP receiver report").isEqualTo(200);
                }
                assertRejectedAndClosed(randomBytes());
                assertRejectedAndClosed(("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nX-Big: " + "x".repeat(20_000) + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                assertRejectedAndClosed(new byte[]{'$', 0, (byte) 0xff, (byte) 0xff, 1, 2, 3, 4});
                assertRejectedAndClosed("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

                int before = reader.count();
                await().atMost(WITHIN).until(() -> reader.count() >= before + 30);
                assertThat(reader.failure()).isNull();
            }
        }
    }

    @Test
    void gstreamerPlaysTheStream() throws Exception {
        Gstreamer.assumeElements("rtph264depay", "avdec_h264");
        try (TestRelay.FedStream fed = relay.feed("gst", ReferenceClip.synthetic(320, 240, 30, 30, 60))) {
            await().atMost(WITHIN).until(fed.stream()::hasParameterSets);
            Gstreamer.assertPlays(relay.url("gst"), "rtph264depay", "avdec_h264", WITHIN);
        }
    }

    @Test
    void relayStoppedAndStartedServesAgain() {
        RelayStream stream = registry.open("restart", "test");
        stream.publish(TestNals.idr(System.currentTimeMillis(), 500));
        try {
            server.stop();
            assertThat(server.isRunning()).isFalse();
            assertThat(canConnect()).isFalse();
            server.start();
            try (RtspProbe client = RtspProbe.connect(relay.port())) {
                assertThat(client.request("DESCRIBE", relay.url("restart")).status()).isEqualTo(200);
            }
        } finally {
            server.start();
            registry.close(stream);
        }
    }

    private void assertRejectedAndClosed(byte[] request) {
        try (RtspProbe client = RtspProbe.connect(relay.port())) {
            client.send(request);
            RtspProbe.Response response = client.readResponse();
            assertThat(response.status()).isEqualTo(400);
            assertThat(client.closedByPeer()).isTrue();
        }
    }

    private boolean canConnect() {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", relay.port())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static byte[] randomBytes() {
        byte[] garbage = new byte[4096];
        new Random(1).nextBytes(garbage);
        garbage[0] = 0x01; // not '$': the relay must treat it as a broken request
        return garbage;
    }
}
