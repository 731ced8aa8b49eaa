package io.visionfleet.ingest.dashboard;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's routing to replicas against real HTTP servers: one host name resolving to two replicas (two loopback
 * addresses on one port, as compose's DNS answers for a scaled service), each owning one stream.
 */
@Tag("quick")
class OwnerRoutingTest {
    private static final String HOST = "processor.replicas.test";
    /** What the replicas ask of a reader, as the services do: the directory's own read credential. */
    private static final String READER = "Bearer viewer-token-of-this-test";
    private final List<HttpServer> servers = new ArrayList<>();
    private final List<InetAddress> addresses = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    @Test
    void perStreamCallsGoToTheOwnerAndEveryReplicaIsListed() throws Exception {
        int port = freePort();
        HttpServer a = replica("127.0.0.1", port, 200, "{\"replica\":\"fp-a\",\"owned\":[\"s1\"],\"waiting\":[\"s2\"]}",
                "[{\"stream_id\":\"s1\",\"fps_processed\":9.5}]");
        replica("127.0.0.2", port, 200, "{\"replica\":\"fp-b\",\"owned\":[\"s2\",\"cam one\"],\"waiting\":[\"s1\"]}",
                "[{\"stream_id\":\"s2\",\"fps_processed\":8.0}]");
        Upstreams upstreams = new Upstreams(config(URI.create("http://" + HOST + ":" + port + "/")));
        ReplicaDirectory directory = directory(upstreams);
        OwnerRouting routing = new OwnerRouting(directory);
        Upstreams.Upstream processor = upstreams.find("processor").orElseThrow();

        directory.refreshNow();

        List<ReplicaDirectory.Replica> replicas = directory.replicas().get("processor");
        assertThat(replicas).extracting(ReplicaDirectory.Replica::replica).containsExactly("fp-a", "fp-b");
        assertThat(replicas.get(0).owned()).containsExactly("s1");
        assertThat(replicas.get(1).waiting()).containsExactly("s1");
        assertThat(replicas.get(0).streams().get(0).get("fps_processed").asDouble()).isEqualTo(9.5);
        assertThat(replicas.get(0).base()).isEqualTo(URI.create("http://127.0.0.1:" + port));
        assertThat(directory.replicas().get("slam")).as("a service that does not resolve has no replicas").isEmpty();

        assertThat(routing.route(processor, "/streams/s1/prompts").base().getHost()).isEqualTo("127.0.0.1");
        assertThat(routing.route(processor, "/streams/s2/overlay.mjpeg").base().getHost()).isEqualTo("127.0.0.2");
        assertThat(routing.route(processor, "/streams/s2").base().getHost()).isEqualTo("127.0.0.2");
        assertThat(routing.route(processor, "/streams/cam%20one/fps").base().getHost()).as("a percent-encoded id").isEqualTo("127.0.0.2");
        assertThat(routing.route(processor, "/streams/s2/fps").port()).isEqualTo(port);
        assertThat(routing.route(processor, "/streams")).as("not per stream: the service's URL").isSameAs(processor);
        assertThat(routing.route(processor, "/ownership")).isSameAs(processor);
        assertThat(routing.route(processor, "/streams/nobody-owns-it/fps")).as("no owner known").isSameAs(processor);

        // a replica that is gone drops out with the next round, and so do its streams
        a.stop(0);
        directory.refreshNow();
        assertThat(directory.replicas().get("processor")).extracting(ReplicaDirectory.Replica::replica).containsExactly("fp-b");
        assertThat(routing.route(processor, "/streams/s1/prompts")).isSameAs(processor);
    }

    @Test
    void aServiceWithoutOwnershipIsOneReplicaPerAddressAndKeepsItsBasePath() throws Exception {
        int port = freePort();
        replica("127.0.0.1", port, 404, "{\"status\":404,\"message\":\"stream ownership is off\"}", "[]");
        Upstreams upstreams = new Upstreams(config(URI.create("http://" + HOST + ":" + port + "/base/")));
        ReplicaDirectory directory = directory(upstreams);

        directory.refreshNow();

        assertThat(directory.replicas().get("processor")).singleElement().satisfies(r -> {
            assertThat(r.replica()).isEqualTo("127.0.0.1");
            assertThat(r.owned()).isEmpty();
            assertThat(r.base()).isEqualTo(URI.create("http://127.0.0.1:" + port + "/base"));
        });
        Upstreams.Upstream processor = upstreams.find("processor").orElseThrow();
        assertThat(new OwnerRouting(directory).route(processor, "/streams/s1/fps")).isSameAs(processor);
    }

    @Test
    void aStaleDirectoryIsNotTrusted() throws Exception {
        int port = freePort();
        replica("127.0.0.1", port, 200, "{\"replica\":\"fp-a\",\"owned\":[\"s1\"],\"waiting\":[]}", "[]");
        Upstreams upstreams = new Upstreams(config(URI.create("http://" + HOST + ":" + port)));
        ReplicaDirectory fresh = directory(upstreams);
        fresh.refreshNow();
        assertThat(fresh.owner("processor", "s1")).as("within three refresh periods of a round").isPresent();

        ReplicaDirectory stale = new ReplicaDirectory(upstreams, Duration.ofMillis(50), this::resolve, Optional.of(READER));
        stale.refreshNow();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (stale.owner("processor", "s1").isPresent() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(stale.owner("processor", "s1")).as("three refresh periods without a round").isEmpty();
    }

    private ReplicaDirectory directory(Upstreams upstreams) {
        return new ReplicaDirectory(upstreams, Duration.ofSeconds(2), this::resolve, Optional.of(READER));
    }

    private List<InetAddress> resolve(String host) throws UnknownHostException {
        if (!host.equals(HOST)) {
            throw new UnknownHostException(host);
        }
        return List.copyOf(addresses);
    }

    private HttpServer replica(String ip, int port, int ownershipStatus, String ownership, String streams) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(ip, port), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            boolean own = path.endsWith("/ownership");
            boolean allowed = READER.equals(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = (!allowed ? "{\"status\":401}" : own ? ownership : streams).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(!allowed ? 401 : own ? ownershipStatus : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        servers.add(server);
        addresses.add(InetAddress.getByName(ip));
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** The dashboard settings with only frame-processor's URL set: the others resolve to nothing here. */
    private static DashboardConfig config(URI processor) {
        Map<String, Object> values = Map.of("processorUrl", Optional.of(processor), "portOffset", 0);
        return (DashboardConfig) Proxy.newProxyInstance(DashboardConfig.class.getClassLoader(), new Class<?>[]{DashboardConfig.class},
                (proxy, method, args) -> values.containsKey(method.getName()) ? values.get(method.getName())
                        : method.getReturnType() == Optional.class ? Optional.empty() : null);
    }
}
