package io.visionfleet.frameprocessor.pipeline;

import io.visionfleet.common.bus.BusPublisher;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.messages.ProcessedFrame;
import jakarta.enterprise.context.ApplicationScoped;

/** Sends each frame's result to {@code processed_frames_exchange}. */
@ApplicationScoped
public class ResultPublisher {
    private final BusPublisher bus;

    public ResultPublisher(BusPublisher bus) {
        this.bus = bus;
    }

    public void publish(ProcessedFrame result) {
        bus.publish(Exchanges.PROCESSED_FRAMES, result.streamId(), result);
    }
}
