package io.visionfleet.busprobe;

import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Consumes the probe's queue through the connector's {@code @Incoming}: appends each message's body as a line to
 * {@code probe.received-file}, then acknowledges it (manual acknowledgement, after the write).
 */
@ApplicationScoped
public class SequenceSink {
    private final FileChannel file;
    private final AtomicLong received = new AtomicLong();

    public SequenceSink(@ConfigProperty(name = "probe.received-file") Path path) {
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Incoming("probe-in")
    @Blocking
    public CompletionStage<Void> receive(Message<?> message) {
        byte[] line = (message.getPayload() + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            synchronized (file) {
                ByteBuffer buffer = ByteBuffer.wrap(line);
                while (buffer.hasRemaining()) {
                    file.write(buffer);
                }
            }
        } catch (IOException e) {
            return message.nack(e);
        }
        received.incrementAndGet();
        return message.ack();
    }

    public Map<String, Object> stats() {
        return Map.of("received", received.get());
    }

    @PreDestroy
    void close() throws IOException {
        file.close();
    }
}
