package io.visionfleet.ptz.driver;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Camera HTTP against a local server that answers, or holds the answer past the timeout, and a closed port. */
@Tag("quick")
class CameraHttpTest {
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;

    @AfterEach
    void tearDown() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    private URI serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        server.createContext("/ok", ex -> {
            byte[] b = "fine".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.createContext("/slow", ex -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    void answersComeBackAndRequestsAreCounted() throws Exception {
        URI base = serve();
        CameraHttp http = new CameraHttp("cam-1", Duration.ofSeconds(2));
        assertThat(http.send(HttpRequest.newBuilder(base.resolve("/ok")), "GET /ok").body()).isEqualTo("fine");
        assertThat(http.send(HttpRequest.newBuilder(base.resolve("/ok")), "GET /ok").statusCode()).isEqualTo(200);
        assertThat(http.requests()).isEqualTo(2);
    }

    @Test
    void anAnswerLaterThanTheTimeoutIsAnUnreachableCamera() throws Exception {
        URI base = serve();
        CameraHttp http = new CameraHttp("cam-1", Duration.ofMillis(300));
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(base.resolve("/slow")), "GetStatus"))
                .isInstanceOf(PtzUnreachableException.class).hasMessageStartingWith("camera cam-1 unreachable (GetStatus): ")
                .hasCauseInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void aClosedPortIsAnUnreachableCameraNamingTheRequest() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CameraHttp http = new CameraHttp("http://127.0.0.1:" + port, Duration.ofSeconds(2));
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x")), "PUT /x"))
                .isInstanceOf(PtzUnreachableException.class)
                .hasMessageStartingWith("camera http://127.0.0.1:" + port + " unreachable (PUT /x): ");
        assertThat(http.requests()).isEqualTo(1);
    }
}
