package io.visionfleet.frameprocessor.bus;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.bus.Json;
import io.visionfleet.frameprocessor.engine.CommandOutcome;
import io.visionfleet.frameprocessor.pipeline.ObjectCommands;
import io.visionfleet.frameprocessor.prompt.PromptRequest;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Takes prompts and removals from {@link Exchanges#PROCESSOR_PROMPTS} through the RabbitMQ connector's {@code prompts}
 * channel (this replica's own exclusive, auto-delete queue, acknowledged on delivery: a prompt sent while the service
 * is down is stale by the time it is back) and queues them like the REST API does. A message that cannot be applied
 * is logged in one line and dropped; it never stops the listener. {@code fleet_processor_bus_prompts_total} counts the
 * messages taken, valid or not.
 */
@ApplicationScoped
public class PromptListener {
    private static final Logger LOG = Logger.getLogger(PromptListener.class);

    private final ObjectCommands commands;
    private final Counter taken;

    public PromptListener(ObjectCommands commands, MeterRegistry registry) {
        this.commands = commands;
        this.taken = Counter.builder("fleet.processor.bus.prompts").tag("exchange", Exchanges.PROCESSOR_PROMPTS)
                .description("Prompt and removal messages taken from processor_prompts_exchange, valid or not")
                .register(registry);
    }

    @Incoming("prompts")
    @Blocking
    void handle(byte[] body) {
        taken.increment();
        PromptRequest request;
        try {
            request = Json.MAPPER.readValue(body, PromptRequest.class);
        } catch (IOException e) {
            String reason = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
            LOG.infof("dropped a prompt message that is not valid JSON: %s", reason);
            return;
        }
        try {
            CompletableFuture<CommandOutcome> outcome = dispatch(request);
            outcome.whenComplete((done, failure) -> {
                if (failure != null) {
                    LOG.infof("prompt for stream %s failed: %s", request.streamId(), failure.getMessage());
                } else if (!done.applied()) {
                    LOG.infof("prompt for stream %s not applied: %s", request.streamId(), done.detail());
                } else {
                    LOG.debugf("prompt for stream %s: object %d %s", request.streamId(), done.objectId(), done.detail());
                }
            });
        } catch (RuntimeException e) {
            LOG.infof("dropped a prompt message for stream %s: %s", request.streamId(), e.getMessage());
        }
    }

    private CompletableFuture<CommandOutcome> dispatch(PromptRequest request) {
        if (!PromptRequest.SCHEMA.equals(request.schema())) {
            throw new IllegalArgumentException("schema must be " + PromptRequest.SCHEMA + ", got " + request.schema());
        }
        if (request.streamId() == null) {
            throw new IllegalArgumentException("stream_id is missing");
        }
        String action = request.action() == null ? PromptRequest.ACTION_PROMPT : request.action();
        return switch (action) {
            case PromptRequest.ACTION_PROMPT -> commands.prompt(request.streamId(), request);
            case PromptRequest.ACTION_REMOVE -> {
                if (request.objectId() == null) {
                    throw new IllegalArgumentException("a remove needs object_id");
                }
                yield commands.remove(request.streamId(), request.objectId());
            }
            default -> throw new IllegalArgumentException("action must be prompt or remove, got " + action);
        };
    }
}
