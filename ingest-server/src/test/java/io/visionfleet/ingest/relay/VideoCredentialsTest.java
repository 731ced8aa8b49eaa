package io.visionfleet.ingest.relay;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.visionfleet.common.concurrent.DaemonThreads;
import io.visionfleet.common.consumer.StreamState;
import io.visionfleet.common.net.Backoff;
import io.visionfleet.common.net.UrlCredentials;
import io.visionfleet.common.testing.FleetToken;
import io.visionfleet.ingest.consumer.RecordingConsumer;
import io.visionfleet.ingest.testing.ReferenceClip;
import io.visionfleet.ingest.testing.TestRelay;
import io.visionfleet.ingest.videoauth.VideoAccess;
import io.visionfleet.sim.publish.WsLink;
import jakarta.inject.Inject;
import org.bytedeco.ffmpeg.global.avutil;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static io.visionfleet.common.auth.DigestAuth.md5;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Publish and read credentials against the running relay and ingest sockets: ffmpeg as the RTSP client (it answers
 * the relay's Digest challenge, as it would a camera's), the JDK WebSocket client as the publisher, an
 * {@code RtspConsumer} as the services read, and the application's log captured to a file and searched for every
 * secret afterwards.
 */
@QuarkusTest
@TestProfile(VideoCredentialsTest.Credentials.class)
@Tag("integration")
class VideoCredentialsTest {
    private static final Duration WITHIN = Duration.ofSeconds(20);
    static final Path LOG_FILE = Path.of("target", "video-credentials-test.log");
    /** The address the tests reach the relay from, as the relay's access check names clients. */
    private static final String LOOPBACK = "127.0.0.1";
    static final String PUBLISH_PASSWORD = "Pub-s3cret-9d1c";
    /** Characters that must be percent-encoded in a URL: ffmpeg and the consumer must decode them again. */
    static final String READ_PASSWORD = "R3ad:p@ss/w%rd";
    /** The API's viewer token, which reads every stream over RTSP as user viewer. */
    static final String VIEWER_TOKEN = "Vi3wer-token-of-this-test";
    static final String NARROW_PASSWORD = "Narrow-7e0b2";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static class Credentials implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("fleet.video-auth.credentials.pub.user", "publisher"),
                    Map.entry("fleet.video-auth.credentials.pub.password", PUBLISH_PASSWORD),
                    Map.entry("fleet.video-auth.credentials.pub.streams", "auth-*"),
                    Map.entry("fleet.video-auth.credentials.pub.actions", "publish"),
                    Map.entry("fleet.video-auth.credentials.services.user", "reader"),
                    Map.entry("fleet.video-auth.credentials.services.password", READ_PASSWORD),
                    Map.entry("fleet.video-auth.credentials.services.streams", "auth-*"),
                    Map.entry("fleet.video-auth.credentials.services.actions", "read"),
                    Map.entry("fleet.video-auth.credentials.narrow.user", "narrow"),
                    Map.entry("fleet.video-auth.credentials.narrow.password", NARROW_PASSWORD),
                    Map.entry("fleet.video-auth.credentials.narrow.streams", "~other-[0-9]+"),
                    Map.entry("fleet.api.viewer-token", VIEWER_TOKEN),
                    Map.entry("fleet.video-auth.failure-delay", "100ms"),
                    Map.entry("fleet.video-auth.max-failure-delay", "800ms"),
                    Map.entry("quarkus.log.file.enabled", "true"),
                    Map.entry("quarkus.log.file.path", LOG_FILE.toString()),
                    Map.entry("quarkus.log.category.\"io.visionfleet\".level", "DEBUG"));
        }
    }

    @Inject
    TestRelay relay;
    @Inject
    VideoAccess access;

    private String url(String user, String password, String stream) {
        String bare = relay.url(stream);
        return user == null ? bare : UrlCredentials.withLogin(bare, new UrlCredentials.Login(user, password));
    }

    @Test
    void theRelayChallengesWithDigestAndBasicAndFfmpegReadsWithDigest() throws Exception {
        try (TestRelay.FedStream fed = relay.feed("auth-cam", ReferenceClip.synthetic(320, 240, 30, 15, 30));
             RtspProbe raw = RtspProbe.connect(relay.port())) {
            await().atMost(WITHIN).until(() -> fed.stream().hasParameterSets());
            RtspProbe.Response challenge = raw.request("DESCRIBE", relay.url("auth-cam"), "Accept: application/sdp");
            assertThat(challenge.status()).isEqualTo(401);
            assertThat(challenge.header("WWW-Authenticate").lines().toList()).satisfiesExactly(
                    digest -> assertThat(digest).startsWith("Digest realm=\"vision-fleet\", nonce=\"").contains("algorithm=MD5"),
                    basic -> assertThat(basic).isEqualTo("Basic realm=\"vision-fleet\""));
            assertThat(raw.request("OPTIONS", relay.url("auth-cam")).status()).as("OPTIONS needs none").isEqualTo(200);

            Ffmpeg right = Ffmpeg.read(url("reader", READ_PASSWORD, "auth-cam"), 5);
            assertThat(right.exit()).as(right.log()).isZero();
            assertThat(right.frames()).isEqualTo(5);
            assertThat(right.log()).contains("Authorization: Digest username=\"reader\"").doesNotContain("Authorization: Basic");

            Ffmpeg wrong = Ffmpeg.read(url("reader", "not-" + READ_PASSWORD, "auth-cam"), 5);
            assertThat(wrong.exit()).isNotZero();
            assertThat(wrong.log()).contains("401 Unauthorized");
            assertThat(wrong.frames()).isZero();

            Ffmpeg missing = Ffmpeg.read(url(null, null, "auth-cam"), 5);
            assertThat(missing.exit()).isNotZero();
            assertThat(missing.log()).contains("401 Unauthorized");

            Ffmpeg otherStreams = Ffmpeg.read(url("narrow", NARROW_PASSWORD, "auth-cam"), 5);
            assertThat(otherStreams.exit()).isNotZero();
            assertThat(otherStreams.log()).contains("403 Forbidden");

            Ffmpeg publisherOnly = Ffmpeg.read(url("publisher", PUBLISH_PASSWORD, "auth-cam"), 5);
            assertThat(publisherOnly.log()).as("publish rights do not read").contains("403 Forbidden");

            Ffmpeg viewer = Ffmpeg.read(url(VideoAccess.VIEWER, VIEWER_TOKEN, "auth-cam"), 5);
            assertThat(viewer.exit()).as("the viewer's token reads: " + viewer.log()).isZero();
            assertThat(viewer.frames()).isEqualTo(5);
        }
    }

    @Test
    void digestResponsesBindTheNonceTheMethodAndTheStream() throws Exception {
        try (TestRelay.FedStream fed = relay.feed("auth-digest", ReferenceClip.synthetic(320, 240, 30, 15, 30));
             RtspProbe raw = RtspProbe.connect(relay.port())) {
            await().atMost(WITHIN).until(() -> fed.stream().hasParameterSets());
            String url = relay.url("auth-digest");
            String challenge = raw.request("DESCRIBE", url).header("WWW-Authenticate").lines().findFirst().orElseThrow();
            String nonce = challenge.replaceAll(".*nonce=\"([^\"]+)\".*", "$1");
            assertThat(raw.request("DESCRIBE", url, digest("reader", READ_PASSWORD, nonce, "DESCRIBE", url)).status())
                    .isEqualTo(200);
            RtspProbe.Response forged = raw.request("DESCRIBE", url, digest("reader", READ_PASSWORD, "bm90LWlzc3VlZC1oZXJlLXh4eA", "DESCRIBE", url));
            assertThat(forged.status()).as("right password on a nonce this relay never issued").isEqualTo(401);
            assertThat(forged.header("WWW-Authenticate")).contains("stale=TRUE");
            String other = relay.url("auth-other");
            assertThat(raw.request("DESCRIBE", url, digest("reader", READ_PASSWORD, nonce, "DESCRIBE", other)).status())
                    .as("a response computed for another stream").isEqualTo(401);
            assertThat(raw.request("DESCRIBE", url, digest("reader", READ_PASSWORD, nonce, "SETUP", url)).status())
                    .as("a response computed for another method").isEqualTo(401);
            assertThat(raw.request("DESCRIBE", url, digest("reader", "x" + READ_PASSWORD, nonce, "DESCRIBE", url)).status())
                    .isEqualTo(401);
            // the failures above slowed this address down; one success clears that for the other tests
            assertThat(raw.request("DESCRIBE", url, digest("reader", READ_PASSWORD, nonce, "DESCRIBE", url)).status())
                    .isEqualTo(200);
        }
    }

    /** An {@code Authorization: Digest} header as RFC 2617 computes it without qop. */
    private static String digest(String user, String password, String nonce, String method, String uri) {
        String ha1 = md5(user + ":vision-fleet:" + password);
        String ha2 = md5(method + ":" + uri);
        return "Authorization: Digest username=\"" + user + "\", realm=\"vision-fleet\", nonce=\"" + nonce + "\", uri=\""
                + uri + "\", response=\"" + md5(ha1 + ":" + nonce + ":" + ha2) + "\"";
    }

    @Test
    void repeatedWrongCredentialsAreSlowedDownButNeverLockedOut() throws Exception {
        try (TestRelay.FedStream fed = relay.feed("auth-slow", ReferenceClip.synthetic(160, 120, 30, 15, 30));
             RtspProbe raw = RtspProbe.connect(relay.port())) {
            await().atMost(WITHIN).until(() -> fed.stream().hasParameterSets());
            String rightBasic = "Authorization: Basic " + base64("reader:" + READ_PASSWORD);
            // failures of other tests from this address are forgotten once it gets in
            assertThat(raw.request("DESCRIBE", relay.url("auth-slow"), rightBasic).status()).isEqualTo(200);
            String wrongBasic = "Authorization: Basic " + base64("reader:wrong");
            long[] millis = new long[6];
            for (int i = 0; i < millis.length; i++) {
                long start = System.nanoTime();
                assertThat(raw.request("DESCRIBE", relay.url("auth-slow"), wrongBasic).status()).isEqualTo(401);
                millis[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            }
            System.out.printf("wrong credentials answered after %s ms (delays 100, 200, 400, 800, 800, 800)%n",
                    Arrays.toString(millis));
            // 100, 200, 400, 800 ms, then capped at 800: each answer waits at least that (a busy machine only adds)
            assertThat(millis[0]).isGreaterThanOrEqualTo(90);
            assertThat(millis[2]).isGreaterThanOrEqualTo(390);
            assertThat(millis[4]).isGreaterThanOrEqualTo(790);
            assertThat(millis[5]).isGreaterThanOrEqualTo(790);
            // the delays themselves, as the relay's access check keeps them for this address: no clock involved
            assertThat(access.failed(LOOPBACK)).as("the delay of a further failure: capped").isEqualTo(800);
            RtspProbe.Response right = raw.request("DESCRIBE", relay.url("auth-slow"), rightBasic);
            assertThat(right.status()).as("the right password still gets in at once").isEqualTo(200);
            assertThat(access.failed(LOOPBACK)).as("a success starts the delays afresh").isEqualTo(100);
            access.succeeded(LOOPBACK); // that failure is forgotten for the other tests
        }
    }

    @Test
    void websocketPublishingNeedsPublishCredentialsForTheStream() throws Exception {
        assertThat(upgradeStatus("/ws/video/auth-ws", null)).isEqualTo(401);
        assertThat(upgradeStatus("/ws/video/auth-ws", basic("publisher", "wrong"))).isEqualTo(401);
        assertThat(upgradeStatus("/ws/video/auth-ws", basic("reader", READ_PASSWORD))).as("read rights do not publish")
                .isEqualTo(403);
        assertThat(upgradeStatus("/ws/video/other-ws", basic("publisher", PUBLISH_PASSWORD))).as("not an auth-* stream")
                .isEqualTo(403);
        assertThat(upgradeStatus("/ws/telemetry/auth-ws", basic("publisher", "wrong"))).isEqualTo(401);
        assertThat(upgradeStatus("/ws/video", null)).as("the legacy path, stream drone").isEqualTo(401);

        ReferenceClip clip = ReferenceClip.synthetic(320, 240, 30, 15, 30);
        WebSocket publisher = open("/ws/video/auth-ws", basic("publisher", PUBLISH_PASSWORD));
        AtomicBoolean publishing = new AtomicBoolean(true);
        // a live publisher at the clip's rate, so that a reader finds pictures beyond the cached GOP
        Thread sender = new Thread(() -> {
            long next = System.nanoTime();
            for (int i = 0; publishing.get(); i++) {
                publisher.sendBinary(ByteBuffer.wrap(ReferenceClip.annexB(clip.accessUnits().get(i % clip.accessUnits().size()))), true).join();
                next += TimeUnit.MILLISECONDS.toNanos(33);
                LockSupport.parkNanos(next - System.nanoTime());
            }
        });
        sender.start();
        try {
            await().atMost(WITHIN).untilAsserted(() -> when().get("/streams/auth-ws").then().statusCode(200)
                    .body("feed", equalTo("websocket")));
            Ffmpeg read = Ffmpeg.read(url("reader", READ_PASSWORD, "auth-ws"), 3);
            assertThat(read.exit()).as(read.log()).isZero();
            assertThat(read.frames()).as("the relay serves what the authenticated publisher sent").isEqualTo(3);
        } finally {
            publishing.set(false);
            sender.join();
            publisher.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        }

        // browsers cannot set headers on a WebSocket: the query parameters user and pass do instead
        WebSocket byQuery = open("/ws/telemetry/auth-q?user=publisher&pass=" + PUBLISH_PASSWORD, null);
        byQuery.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
    }

    @Test
    void aPublisherWhoseCredentialsAreRefusedSaysWhichSettingToGiveAndStopsTrying() {
        ScheduledExecutorService timer = DaemonThreads.scheduler("refused-link");
        AtomicInteger attempts = new AtomicInteger();
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        try (WsLink link = new WsLink(HTTP, URI.create("ws://localhost:" + port + "/ws/video/auth-refused"), "refused test",
                timer, new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)), Duration.ofSeconds(5),
                attempts::incrementAndGet, Optional.of(new UrlCredentials.Login("publisher", "not-" + PUBLISH_PASSWORD)),
                "--user and --password")) {
            link.start();
            await().atMost(WITHIN).until(() -> link.gaveUp().isPresent());
            assertThat(link.gaveUp().orElseThrow()).contains("refused the given publish credentials (HTTP 401)",
                    "give them with --user and --password").doesNotContain(PUBLISH_PASSWORD);
            assertThat(link.awaitFirstConnection()).as("senders waiting for a connection stop").isFalse();
            assertThat(attempts).as("attempts before giving up").hasValue(WsLink.MAX_REFUSALS);
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void registeringAPullSourceNeedsPublishCredentialsForItsId() {
        String body = "{\"id\":\"auth-src\",\"url\":\"rtsp://cam:" + "Cam-pass-31" + "@127.0.0.1:1/none\"}";
        registering(body).when().post("/streams").then().statusCode(401)
                .body("status", equalTo(401)).body("message", containsString("Publish-Authorization"));
        registering(body).header("Publish-Authorization", basic("publisher", "nope"))
                .when().post("/streams").then().statusCode(401).body("message", containsString("wrong user name or password"));
        registering(body).header("Publish-Authorization", basic("reader", READ_PASSWORD))
                .when().post("/streams").then().statusCode(403).body("status", equalTo(403));
        registering(body).header("Publish-Authorization", basic("publisher", PUBLISH_PASSWORD))
                .when().post("/streams").then().statusCode(201)
                .body("source", equalTo("rtsp://cam:***@127.0.0.1:1/none"));
        given().auth().oauth2(FleetToken.TEST).delete("/streams/auth-src").then().statusCode(204);
    }

    /** A registration with the fleet token, which every control request needs before publish credentials count. */
    private static RequestSpecification registering(String body) {
        return given().auth().oauth2(FleetToken.TEST).contentType(ContentType.JSON).body(body);
    }

    @Test
    void aConsumerWithReadCredentialsReadsFramesAndNeverShowsThePassword() throws Exception {
        try (TestRelay.FedStream fed = relay.feed("auth-consumer", ReferenceClip.synthetic(320, 240, 30, 15, 30));
             RecordingConsumer withLogin = new RecordingConsumer(url("reader", READ_PASSWORD, ""));
             RecordingConsumer without = new RecordingConsumer(relay.url(""))) {
            withLogin.follow("auth-consumer");
            without.follow("auth-consumer");
            await().atMost(WITHIN).until(() -> withLogin.seen().size() >= 10);
            StreamState state = withLogin.stream("auth-consumer").orElseThrow();
            assertThat(state.url()).isEqualTo(relay.url("auth-consumer"));
            assertThat(withLogin.settings().relayUrl()).doesNotContain("reader").doesNotContain("p@ss");
            assertThat(avutil.av_log_get_level()).as("FFmpeg would print the URL at INFO").isLessThanOrEqualTo(avutil.AV_LOG_WARNING);

            StreamState refused = without.stream("auth-consumer").orElseThrow();
            await().atMost(WITHIN).until(() -> refused.lastError() != null);
            assertThat(without.seen().size()).isZero();
            assertThat(fed.stream().hasParameterSets()).isTrue();
        }
        try (RecordingConsumer wrong = new RecordingConsumer(url("reader", "wrong-" + READ_PASSWORD, ""))) {
            wrong.follow("auth-consumer-gone");
            StreamState state = wrong.stream("auth-consumer-gone").orElseThrow();
            await().atMost(WITHIN).until(() -> state.lastError() != null);
            assertThat(state.lastError()).doesNotContain(READ_PASSWORD).doesNotContain("p%40ss");
        }
    }

    @AfterAll
    static void noSecretInTheLog() throws IOException {
        String log = Files.readString(LOG_FILE);
        assertThat(log).as("the log was captured").contains("video credentials: ").contains("refused");
        for (String secret : List.of(PUBLISH_PASSWORD, READ_PASSWORD, NARROW_PASSWORD, VIEWER_TOKEN, "Cam-pass-31",
                UrlCredentials.withLogin("rtsp://h/", new UrlCredentials.Login("reader", READ_PASSWORD)).split("[:@]")[2],
                base64("publisher:" + PUBLISH_PASSWORD), base64("reader:" + READ_PASSWORD))) {
            assertThat(log).as("a secret in the log").doesNotContain(secret);
        }
    }

    /** Status of a refused upgrade; fails when the upgrade succeeds. */
    private static int upgradeStatus(String path, String authorization) {
        Throwable failure = catchThrowable(() -> open(path, authorization).abort());
        assertThat(failure).as("upgrade of " + path + " refused").isNotNull();
        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
        assertThat(cause).isInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) cause).getResponse().statusCode();
    }

    private static WebSocket open(String path, String authorization) {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder();
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        return builder.buildAsync(URI.create("ws://localhost:" + port + path), new WebSocket.Listener() {
        }).join();
    }

    private static String basic(String user, String password) {
        return "Basic " + base64(user + ":" + password);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** One run of the ffmpeg CLI reading a relay URL over TCP and decoding {@code frames} pictures. */
    record Ffmpeg(int exit, int frames, String log) {
        static Ffmpeg read(String url, int frames) throws IOException, InterruptedException {
            // at trace level ffmpeg prints the requests it sends, Authorization headers included
            Process p = FfmpegCli.readRelay("trace", url, "-frames:v", Integer.toString(frames));
            var out = new java.util.concurrent.CompletableFuture<String>();
            Thread reader = new Thread(() -> {
                try {
                    out.complete(new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    out.completeExceptionally(e);
                }
            });
            reader.start();
            String log = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("ffmpeg did not finish: " + log);
            }
            reader.join();
            int decoded = (int) out.join().lines().filter(l -> FfmpegCli.md5Of(l) != null).count();
            return new Ffmpeg(p.exitValue(), decoded, log);
        }
    }
}
