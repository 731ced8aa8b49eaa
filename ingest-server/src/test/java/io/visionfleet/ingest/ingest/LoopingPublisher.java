package io.visionfleet.ingest.ingest;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Plays a clip into a video socket at its frame rate, one access unit per message, over and over, like a drone. */
public final class LoopingPublisher implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger sent = new AtomicInteger();

    public LoopingPublisher(WsClient socket, Clip clip) {
        byte[][] messages = clip.accessUnits().stream().map(Clip::annexB).toArray(byte[][]::new);
        timer.scheduleAtFixedRate(() -> socket.sendBinary(messages[sent.getAndIncrement() % messages.length]),
                0, 1000 / Clip.FPS, TimeUnit.MILLISECONDS);
    }

    public int sent() {
        return sent.get();
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdown();
        timer.awaitTermination(5, TimeUnit.SECONDS);
    }
}
