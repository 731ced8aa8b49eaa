package io.visionfleet.ingest.relay;

import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.ingest.stream.StreamRegistry;
import io.visionfleet.ingest.testing.TestRelay;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** At {@code max-clients} playing readers the relay refuses the next connection and keeps serving the others. */
@QuarkusTest
@Tag("integration")
class RelayConnectionLimitTest {
    private static final Duration WITHIN = Duration.ofSeconds(20);

    @Inject
    StreamRegistry registry;
    @Inject
    TestRelay relay;
    @Inject
    RtspServer server;
    @Inject
    RelayConfig config;

    @Test
    void whenEveryConnectionPlaysTheNextGets503AndIsAdmittedOnceAReaderLeaves() {
        RelayStream stream = registry.open("crowd", "test");
        stream.publish(TestNals.idr(System.currentTimeMillis(), 500));
        String url = relay.url("crowd");
        int before = server.connections();
        List<RtspProbe> playing = new ArrayList<>();
        try {
            RtspProbe.Response refusal = null;
            // connections of other tests that are not playing make room for ours; playing ones lower the count
            while (refusal == null && playing.size() <= config.maxClients()) {
                RtspProbe client = RtspProbe.connect(relay.port());
                RtspProbe.Response first = client.request("OPTIONS", url);
                if (first.status() == 503) {
                    refusal = first;
                    assertThat(client.closedByPeer()).isTrue();
                    client.close();
                } else {
                    playing.add(client);
                    assertThat(client.play(url).status()).isEqualTo(200);
                }
            }
            assertThat(refusal).as("a connection past %d playing readers", config.maxClients()).isNotNull();
            assertThat(playing.size()).isBetween(config.maxClients() - before, config.maxClients());

            stream.publish(TestNals.idr(System.currentTimeMillis() + 40, 500));
            assertThat(pictures(playing.get(0), 2)).as("the cached IDR and the one sent after the refusal").hasSize(2);

            playing.remove(playing.size() - 1).close();
            await().atMost(WITHIN).until(() -> server.connections() < config.maxClients());
            try (RtspProbe late = RtspProbe.connect(relay.port())) {
                assertThat(late.play(url).status()).isEqualTo(200);
            }
        } finally {
            playing.forEach(RtspProbe::close);
            registry.close(stream);
        }
    }

    /** The RTP timestamps of the first {@code count} pictures {@code client} receives (RTCP and repeats skipped). */
    private static Set<Long> pictures(RtspProbe client, int count) {
        Set<Long> timestamps = new LinkedHashSet<>();
        for (int frames = 0; timestamps.size() < count && frames < 50; frames++) {
            RtspProbe.Frame frame = client.readFrame();
            if (frame.channel() == 0) {
                timestamps.add(ByteBuffer.wrap(frame.payload(), 4, 4).getInt() & 0xffffffffL);
            }
        }
        return timestamps;
    }
}
