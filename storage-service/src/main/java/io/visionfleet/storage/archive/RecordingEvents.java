package io.visionfleet.storage.archive;

import io.quarkus.runtime.ShutdownEvent;
import io.visionfleet.common.bus.BusPublisher;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.concurrent.DaemonThreads;
import io.visionfleet.common.messages.RecordingClosed;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Publishes {@link RecordingClosed} on {@code recordings_exchange} (the issue's {@code segment_closed}) for every
 * segment closed or recovered. On its own thread: a publish to an unreachable broker waits for a connect timeout,
 * which must not stall a stream's recording.
 */
@ApplicationScoped
public class RecordingEvents {
    private final BusPublisher publisher;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(DaemonThreads.named("recording-events"));

    public RecordingEvents(BusPublisher publisher) {
        this.publisher = publisher;
    }

    public void segmentClosed(SegmentInfo segment) {
        RecordingClosed event = new RecordingClosed(RecordingClosed.SCHEMA, segment.streamId(), segment.path(),
                segment.startTs(), segment.endTs(), segment.sizeBytes(), segment.frames(), segment.closeReason());
        try {
            executor.execute(() -> publisher.publish(Exchanges.RECORDINGS, event.streamId(), event));
        } catch (RejectedExecutionException e) {
            publisher.publish(Exchanges.RECORDINGS, event.streamId(), event); // shutting down: the caller may wait
        }
    }

    /**
     * Sends what is queued after the consumer closed its segments (default-priority observers) and before the bus
     * closes ({@code LIBRARY_AFTER}).
     */
    void onStop(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER - 1) ShutdownEvent event)
            throws InterruptedException {
        executor.shutdown();
        executor.awaitTermination(2, TimeUnit.SECONDS);
    }
}
