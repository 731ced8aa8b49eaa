package io.visionfleet.frameprocessor.output;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

/**
 * The overlay pictures of one stream for whoever watches them. The pipeline renders only while someone watches and at
 * most {@code maxFps} times a second, so an unwatched overlay costs nothing.
 */
public final class OverlayFeed {
    private final long minIntervalNanos;
    private final Set<Consumer<byte[]>> viewers = new CopyOnWriteArraySet<>();
    private long lastNanos;

    public OverlayFeed(double maxFps) {
        this.minIntervalNanos = maxFps > 0 ? (long) (1e9 / maxFps) : 0;
    }

    /** Whether the pipeline should render this frame (someone watches and the rate cap allows it). */
    public boolean due(long nowNanos) {
        if (viewers.isEmpty() || (lastNanos != 0 && nowNanos - lastNanos < minIntervalNanos)) {
            return false;
        }
        lastNanos = nowNanos;
        return true;
    }

    public void publish(byte[] jpeg) {
        viewers.forEach(v -> v.accept(jpeg));
    }

    /** Starts delivering pictures to {@code viewer}; closing the result stops it. */
    public AutoCloseable watch(Consumer<byte[]> viewer) {
        viewers.add(viewer);
        return () -> viewers.remove(viewer);
    }

    public int viewers() {
        return viewers.size();
    }
}
