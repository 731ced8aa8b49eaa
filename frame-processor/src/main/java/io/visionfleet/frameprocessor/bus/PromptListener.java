package io.visionfleet.frameprocessor.bus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.rabbitmq.client.Channel;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.visionfleet.common.bus.BusConnection;
import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.bus.Json;
import io.visionfleet.frameprocessor.engine.CommandOutcome;
import io.visionfleet.frameprocessor.pipeline.ObjectCommands;
import io.visionfleet.frameprocessor.prompt.PromptRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Takes prompts and removals from {@link Exchanges#PROCESSOR_PROMPTS} (a server-named, auto-delete queue: a prompt sent while
 * the service is down is stale by the time it is back) and queues them like the REST API does. A message that cannot
 * be applied is logged in one line and dropped; it never stops the listener.
 */
@ApplicationScoped
public class PromptListener {
    private static final Logger LOG = Logger.getLogger(PromptListener.class);
    private static final long RETRY_SECONDS = 5;

    private final BusConnection bus;
    private final ObjectCommands commands;
    private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "prompt-listener");
        t.setDaemon(true);
        return t;
    });
    private volatile Channel channel;

    public PromptListener(BusConnection bus, ObjectCommands commands) {
        this.bus = bus;
        this.commands = commands;
    }

    void onStart(@Observes StartupEvent event) {
        retry.execute(this::subscribe);
    }

    void onStop(@Observes ShutdownEvent event) {
        retry.shutdownNow();
        Channel c = channel;
        if (c != null && c.isOpen()) {
            try {
                c.close();
            } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
                LOG.debugf("closing prompt channel: %s", e.getMessage());
            }
        }
    }

    private void subscribe() {
        try {
            Channel c = bus.channel();
            c.exchangeDeclare(Exchanges.PROCESSOR_PROMPTS, "fanout", true);
            String queue = c.queueDeclare().getQueue();
            c.queueBind(queue, Exchanges.PROCESSOR_PROMPTS, "");
            c.basicConsume(queue, true, (tag, delivery) -> handle(delivery.getBody()), tag -> { });
            channel = c;
            LOG.infof("taking prompts from %s", Exchanges.PROCESSOR_PROMPTS);
        } catch (IOException | RuntimeException e) {
            LOG.warnf("cannot subscribe to %s yet (%s); retrying in %d s", Exchanges.PROCESSOR_PROMPTS, e.getMessage(), RETRY_SECONDS);
            retry.schedule(this::subscribe, RETRY_SECONDS, TimeUnit.SECONDS);
        }
    }

    void handle(byte[] body) {
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
