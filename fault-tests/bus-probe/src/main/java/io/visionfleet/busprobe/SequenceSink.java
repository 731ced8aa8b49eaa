package io.visionfleet.busprobe;

import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMessage;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One incoming channel of the probe: appends each message's body ({@code "<run> <seq>"}) as a line to its file, then
 * acknowledges it, at once or {@code ackDelay} later (as the archive acknowledges only once its lines are forced to
 * disk), and records in an {@link AckLedger} on which channel each acknowledgement lands.
 */
final class SequenceSink implements AutoCloseable {
    private final FileChannel file;
    private final Duration ackDelay;
    private final ScheduledExecutorService acks;
    private final AckLedger ledger = new AckLedger();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong ackFailures = new AtomicLong();

    SequenceSink(String name, Path path, Duration ackDelay) {
        this.ackDelay = ackDelay;
        this.acks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-acks");
            t.setDaemon(true);
            return t;
        });
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    CompletionStage<Void> receive(Message<?> message) {
        String body = String.valueOf(message.getPayload());
        try {
            write((body + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return message.nack(e);
        }
        received.incrementAndGet();
        AckLedger.Delivery delivery = ledger.delivered(seq(body), tag(message));
        if (ackDelay.isZero()) {
            return ack(message, delivery);
        }
        acks.schedule(() -> ack(message, delivery), ackDelay.toMillis(), TimeUnit.MILLISECONDS);
        return CompletableFuture.completedFuture(null);
    }

    Map<String, Object> stats(String prefix) {
        Map<String, Object> stats = new HashMap<>(ledger.stats(prefix));
        stats.put(prefix + "received", received.get());
        stats.put(prefix + "ack_failures", ackFailures.get());
        return stats;
    }

    @Override
    public void close() throws IOException {
        acks.shutdownNow();
        file.close();
    }

    private CompletionStage<Void> ack(Message<?> message, AckLedger.Delivery delivery) {
        ledger.acking(delivery);
        return message.ack().whenComplete((done, failure) -> {
            if (failure != null) {
                ackFailures.incrementAndGet();
            }
        });
    }

    private void write(byte[] line) throws IOException {
        synchronized (file) {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                file.write(buffer);
            }
        }
    }

    private static long seq(String body) {
        return Long.parseLong(body.substring(body.lastIndexOf(' ') + 1));
    }

    private static long tag(Message<?> message) {
        return ((IncomingRabbitMQMessage<?>) message).getRabbitMQMessage().envelope().getDeliveryTag();
    }
}
