package io.visionfleet.frameprocessor.pipeline;

import io.visionfleet.common.bus.BusPublisher;
import io.visionfleet.common.bus.ExchangeEmitter;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.messages.ProcessedFrame;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** Sends each frame's result to {@code processed_frames_exchange}. */
@ApplicationScoped
public class ResultPublisher {
    private final BusPublisher bus;
    private final ExchangeEmitter processedFrames;

    public ResultPublisher(BusPublisher bus, @Channel(Exchanges.PROCESSED_FRAMES) Emitter<byte[]> processedFrames) {
        this.bus = bus;
        this.processedFrames = new ExchangeEmitter(Exchanges.PROCESSED_FRAMES, processedFrames);
    }

    public void publish(ProcessedFrame result) {
        bus.publish(processedFrames, result);
    }
}
