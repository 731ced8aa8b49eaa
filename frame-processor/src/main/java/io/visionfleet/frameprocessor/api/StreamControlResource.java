package io.visionfleet.frameprocessor.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.visionfleet.common.api.Access;
import io.visionfleet.common.api.AccessRole;
import io.visionfleet.common.api.ApiError;
import io.visionfleet.common.consumer.RtspConsumer;
import io.visionfleet.common.consumer.StreamState;
import io.visionfleet.common.stream.StreamIds;
import io.visionfleet.frameprocessor.config.ProcessorConfig;
import io.visionfleet.frameprocessor.engine.CommandOutcome;
import io.visionfleet.frameprocessor.engine.EngineChoice;
import io.visionfleet.frameprocessor.pipeline.ObjectCommands;
import io.visionfleet.frameprocessor.pipeline.StreamPipeline;
import io.visionfleet.frameprocessor.pipeline.StreamPipelines;
import io.visionfleet.frameprocessor.prompt.Mode;
import io.visionfleet.frameprocessor.prompt.PromptRequest;
import io.visionfleet.frameprocessor.stream.FrameProcessorConsumer;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Control of one stream's processing: prompts, object removal, mode, frame rate, start and stop. Prompts apply to
 * the next processed frame; the answer waits for it (at most {@code prompt-timeout}) and says which object the prompt
 * created or corrected.
 */
@Path("/streams/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class StreamControlResource {
    private final ObjectCommands commands;
    private final StreamPipelines pipelines;
    private final FrameProcessorConsumer consumer;
    private final ProcessorConfig config;

    public StreamControlResource(ObjectCommands commands, StreamPipelines pipelines, FrameProcessorConsumer consumer,
                                 ProcessorConfig config) {
        this.commands = commands;
        this.pipelines = pipelines;
        this.consumer = consumer;
        this.config = config;
    }

    /** The answer to a prompt or removal; {@code captureTs} is the frame it was applied to. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CommandAnswer(String streamId, long objectId, boolean created, String result, long captureTs) {
    }

    /** The body of {@code PUT /streams/{id}/mode}, and its answer. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ModeBody(String streamId, String mode) {
    }

    /** {@code GET /streams/{id}/fps}; {@code engine} runs the stream (or would, before it runs) for {@code engineReason}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Rates(String streamId, String state, double fpsIn, double fpsProcessed, long framesProcessed,
                        long dropped, String mode, Map<String, Double> stageMeanMs, String engine, String engineReason) {
    }

    @Access(AccessRole.OPERATOR)
    @POST
    @Path("prompts")
    @Consumes(MediaType.APPLICATION_JSON)
    public CompletionStage<Response> prompt(@PathParam("id") String id, PromptRequest body) {
        if (body == null) {
            throw new IllegalArgumentException("body must be a prompt: {\"points\":[{\"x\":..,\"y\":..,\"positive\":true}]} or {\"box\":[x,y,w,h]}");
        }
        return answer(id, commands.prompt(id, body));
    }

    @Access(AccessRole.OPERATOR)
    @DELETE
    @Path("objects/{objectId}")
    public CompletionStage<Response> remove(@PathParam("id") String id, @PathParam("objectId") long objectId) {
        return answer(id, commands.remove(id, objectId));
    }

    @Access(AccessRole.OPERATOR)
    @PUT
    @Path("mode")
    @Consumes(MediaType.APPLICATION_JSON)
    public ModeBody mode(@PathParam("id") String id, ModeBody body) {
        if (body == null || body.mode() == null) {
            throw new IllegalArgumentException("body must be {\"mode\":\"automatic\"} or {\"mode\":\"interactive\"}");
        }
        Mode mode = Mode.parse(body.mode());
        requireKnown(id);
        pipelines.mode(id, mode);
        consumer.session(id).ifPresent(p -> p.mode(mode));
        return new ModeBody(id, mode.id());
    }

    @Access(AccessRole.VIEWER)
    @GET
    @Path("mode")
    public ModeBody mode(@PathParam("id") String id) {
        requireKnown(id);
        return new ModeBody(id, pipelines.mode(id).id());
    }

    @Access(AccessRole.VIEWER)
    @GET
    @Path("fps")
    public Rates fps(@PathParam("id") String id) {
        requireKnown(id);
        long now = System.currentTimeMillis();
        StreamState state = consumer.stream(id).orElse(null);
        Map<String, Double> stages = consumer.session(id).map(StreamPipeline::meanStageMs).orElse(Map.of());
        EngineChoice engine = consumer.session(id).map(StreamPipeline::engine).orElseGet(pipelines::engine);
        return state == null
                ? new Rates(id, "stopped", 0, 0, 0, 0, pipelines.mode(id).id(), stages, engine.name(), engine.reason())
                : new Rates(id, state.phase().name().toLowerCase(Locale.ROOT), round(state.fpsIn(now)),
                round(state.fpsProcessed(now)), state.framesProcessed(), state.dropped(), pipelines.mode(id).id(), stages,
                engine.name(), engine.reason());
    }

    /** Starts processing the stream (pulling it from the relay); idempotent. */
    @Access(AccessRole.OPERATOR)
    @POST
    @Path("start")
    public Response start(@PathParam("id") String id) {
        StreamIds.require(id);
        consumer.follow(id);
        return Response.accepted(new ModeBody(id, pipelines.mode(id).id())).build();
    }

    /** Stops processing the stream; its state is freed as its pipeline closes, within the I/O timeout. */
    @Access(AccessRole.OPERATOR)
    @POST
    @Path("stop")
    public Response stop(@PathParam("id") String id) {
        if (!consumer.unfollow(id)) {
            throw new ObjectCommands.UnknownStream(id);
        }
        return Response.noContent().build();
    }

    private void requireKnown(String id) {
        if (!commands.known(id)) {
            throw new ObjectCommands.UnknownStream(id);
        }
    }

    private CompletionStage<Response> answer(String id, CompletableFuture<CommandOutcome> outcome) {
        return outcome.orTimeout(config.promptTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((done, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause() : failure;
                        if (cause instanceof TimeoutException) {
                            return ApiError.response(Response.Status.GATEWAY_TIMEOUT,
                                    "stream '" + id + "' processed no frame within " + config.promptTimeout().toMillis() + " ms");
                        }
                        return ApiError.response(Response.Status.TOO_MANY_REQUESTS, cause.getMessage());
                    }
                    if (!done.applied()) {
                        return ApiError.response(422, done.detail() + " (frame captured at " + done.frameCaptureTs() + ")");
                    }
                    return Response.ok(new CommandAnswer(id, done.objectId(), done.created(), done.detail(),
                            done.frameCaptureTs())).build();
                });
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
