package io.visionfleet.busprobe;

import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The probe's two consumers of its exchange, each on a durable queue of its own through the connector's
 * {@code @Incoming}: {@code probe-in} acknowledges each message as soon as its line is written, {@code probe-late}
 * {@code probe.late-ack} after that, as the archive does once the line is on disk.
 */
@ApplicationScoped
public class ProbeConsumers {
    private final SequenceSink immediate;
    private final SequenceSink late;

    public ProbeConsumers(@ConfigProperty(name = "probe.received-file") Path receivedFile,
                          @ConfigProperty(name = "probe.late-file") Path lateFile,
                          @ConfigProperty(name = "probe.late-ack") Duration lateAck) {
        immediate = new SequenceSink("probe-in", receivedFile, Duration.ZERO);
        late = new SequenceSink("probe-late", lateFile, lateAck);
    }

    @Incoming("probe-in")
    @Blocking
    public CompletionStage<Void> receive(Message<?> message) {
        return immediate.receive(message);
    }

    @Incoming("probe-late")
    @Blocking
    public CompletionStage<Void> receiveLate(Message<?> message) {
        return late.receive(message);
    }

    /** The immediate consumer's counts unprefixed, the late one's with {@code late_}. */
    public Map<String, Object> stats() {
        Map<String, Object> stats = new HashMap<>(immediate.stats(""));
        stats.putAll(late.stats("late_"));
        return stats;
    }

    @PreDestroy
    void close() throws IOException {
        immediate.close();
        late.close();
    }
}
