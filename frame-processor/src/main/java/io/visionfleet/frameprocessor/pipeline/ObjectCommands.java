package io.visionfleet.frameprocessor.pipeline;

import io.visionfleet.frameprocessor.engine.CommandOutcome;
import io.visionfleet.frameprocessor.prompt.ObjectCommand;
import io.visionfleet.frameprocessor.prompt.PromptRequest;
import io.visionfleet.frameprocessor.stream.FrameProcessorConsumer;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.CompletableFuture;

/** Prompts and removals from the API and the bus, checked and queued on the stream's pipeline. */
@ApplicationScoped
public class ObjectCommands {
    private final FrameProcessorConsumer consumer;

    public ObjectCommands(FrameProcessorConsumer consumer) {
        this.consumer = consumer;
    }

    /** A stream that is not processed: not followed. */
    public static final class UnknownStream extends RuntimeException {
        public UnknownStream(String streamId) {
            super("stream '" + streamId + "' is not being processed");
        }
    }

    /** A stream that has no frame yet, so prompts cannot be checked or applied. */
    public static final class NoFrameYet extends RuntimeException {
        NoFrameYet(String streamId) {
            super("stream '" + streamId + "' has no processed frame yet");
        }
    }

    /**
     * Queues {@code request} for the next frame of {@code streamId}.
     *
     * @throws UnknownStream            when the stream is not processed
     * @throws NoFrameYet               before the stream's first frame
     * @throws IllegalArgumentException when the prompt does not fit the frame
     */
    public CompletableFuture<CommandOutcome> prompt(String streamId, PromptRequest request) {
        StreamPipeline pipeline = pipeline(streamId);
        return pipeline.submit(new ObjectCommand.Apply(request.toPrompt(pipeline.width(), pipeline.height()), request.captureTs()));
    }

    /** Queues the removal of object {@code objectId} of {@code streamId} for the next frame. */
    public CompletableFuture<CommandOutcome> remove(String streamId, long objectId) {
        return pipeline(streamId).submit(new ObjectCommand.Remove(objectId));
    }

    /** Whether {@code streamId} is followed (its pipeline, when it has one, is the stream's session). */
    public boolean known(String streamId) {
        return consumer.stream(streamId).isPresent();
    }

    private StreamPipeline pipeline(String streamId) {
        if (!known(streamId)) {
            throw new UnknownStream(streamId);
        }
        StreamPipeline pipeline = consumer.session(streamId).orElseThrow(() -> new NoFrameYet(streamId));
        if (pipeline.width() == 0) {
            throw new NoFrameYet(streamId);
        }
        return pipeline;
    }
}
