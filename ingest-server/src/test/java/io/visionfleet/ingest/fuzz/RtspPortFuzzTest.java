package io.visionfleet.ingest.fuzz;

import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.ingest.relay.RelayConfig;
import io.visionfleet.ingest.relay.RtspServer;
import io.visionfleet.ingest.testing.RtspReader;
import io.visionfleet.ingest.testing.TestRelay;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 14, the RTSP port: seeded hostile requests, slow clients that never finish a request and hundreds of idle
 * connections. Each input is answered with an RTSP status (or, beyond the connection limit, the oldest idle
 * connection is closed), nothing is left open, memory returns, and a playing reader loses no picture.
 */
@QuarkusTest
@Tag("integration")
class RtspPortFuzzTest {
    private static final String HEALTHY = "fz-rtsp-healthy";
    private static final int SENDERS = 16;
    private static final int SLOW_CLIENTS = 20;
    private static final int IDLE_CONNECTIONS = 300;

    @Inject
    TestRelay relay;
    @Inject
    RtspServer server;
    @Inject
    RelayConfig config;

    @Test
    void hostileClientsGetErrorStatusesWhileAReaderGoesOnUnharmed() throws Exception {
        try (Fuzz fuzz = new Fuzz("rtsp"); HealthyStream healthy = HealthyStream.start(relay, HEALTHY)) {
            int baseline = server.connections();
            Footprint before = Footprint.measure();
            HealthyStream.Mark mark = healthy.mark();

            RtspInputs inputs = new RtspInputs(fuzz.random, HEALTHY, config.maxRequestBytes(), config.maxInterleavedBytes());
            ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
            try {
                List<Future<String>> answers = new ArrayList<>();
                for (int i = 0; i < fuzz.inputs; i++) {
                    byte[] input = inputs.next(); // generated in order, so the seed alone repeats the run
                    answers.add(senders.submit(() -> exchange(input)));
                }
                for (Future<String> answer : answers) {
                    fuzz.answered(answer.get());
                }
            } finally {
                senders.shutdownNow();
            }
            assertThat(fuzz.answers().keySet()).as("every input answered with an RTSP status")
                    .allSatisfy(answer -> assertThat(answer).startsWith("RTSP "));

            for (Socket client : slowClients()) {
                fuzz.answered("slow client: " + answer(client));
            }
            List<Socket> idle = idleConnections();
            try (RtspReader late = RtspReader.open(relay.url(HEALTHY))) {
                late.awaitPictures(HealthyStream.FPS, Duration.ofSeconds(20)); // admitted, though the relay was full
            }
            for (Socket client : idle) {
                fuzz.answered("idle: " + answer(client));
            }
            double healthyFps = healthy.fpsSince(mark);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(server.connections()).isEqualTo(baseline));
            Footprint after = Footprint.measure();
            fuzz.report(fuzz.inputs + SLOW_CLIENTS + IDLE_CONNECTIONS, healthyFps, before, after,
                    server.connections() + " RTSP connections open after (the healthy reader's " + baseline + ")");

            assertThat(fuzz.answers()).as("slow clients timed out").containsEntry("slow client: RTSP 408", SLOW_CLIENTS);
            assertThat(fuzz.answers().keySet()).as("idle connections: timed out, or closed to admit newer ones")
                    .filteredOn(answer -> answer.startsWith("idle: ")).containsAnyOf("idle: RTSP 408", "idle: closed")
                    .allSatisfy(answer -> assertThat(answer).isIn("idle: RTSP 408", "idle: closed"));
            healthy.assertUnharmed();
            assertThat(after.heapBytes()).as("heap after GC").isLessThan(before.heapBytes() + (64L << 20));
            assertThat(fuzz.unhandled()).as("failures the server logged with an exception").isEmpty();
        }
    }

    /** Connects, sends the input, and returns the status of the first answer ("RTSP 400"), or how the connection ended. */
    private String exchange(byte[] input) {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(input);
            return answer(socket);
        } catch (IOException e) {
            return "send failed: " + e.getMessage();
        }
    }

    /** Clients that start a request and never finish it: the request deadline answers them. */
    private List<Socket> slowClients() throws IOException {
        List<Socket> clients = new ArrayList<>();
        for (int i = 0; i < SLOW_CLIENTS; i++) {
            Socket client = connect();
            client.getOutputStream().write(("OPTIONS rtsp://127.0.0.1/" + HEALTHY + " RTSP/1.0\r\nCSeq: " + i)
                    .getBytes(StandardCharsets.US_ASCII));
            clients.add(client);
        }
        return clients;
    }

    /** More connections than the relay admits, all silent. */
    private List<Socket> idleConnections() throws IOException {
        List<Socket> clients = new ArrayList<>();
        for (int i = 0; i < IDLE_CONNECTIONS; i++) {
            clients.add(connect());
        }
        return clients;
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", relay.port()), 5_000);
        // longer than the request deadline: every connection is answered or closed before this
        socket.setSoTimeout((int) config.requestTimeout().toMillis() + 10_000);
        return socket;
    }

    /** Reads the status of the first response and closes; "closed" when the relay closed without one. */
    private static String answer(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b; (b = in.read()) >= 0 && b != '\n' && line.length() < 64; ) {
                line.append((char) b);
            }
            if (line.isEmpty()) {
                return "closed";
            }
            String[] parts = line.toString().split(" ");
            return parts[0].equals("RTSP/1.0") && parts.length > 1 ? "RTSP " + parts[1] : "not RTSP: " + line;
        } catch (SocketTimeoutException e) {
            return "no answer";
        } catch (IOException e) {
            return "reset: " + e.getMessage();
        }
    }
}
