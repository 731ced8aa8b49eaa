package io.visionfleet.frameprocessor.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.visionfleet.common.api.Access;
import io.visionfleet.common.api.AccessRole;
import io.visionfleet.common.api.ApiError;
import io.visionfleet.common.bus.Json;
import io.visionfleet.frameprocessor.output.OverlayFeed;
import io.visionfleet.frameprocessor.pipeline.ObjectCommands;
import io.visionfleet.frameprocessor.pipeline.StreamPipelines;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;

/**
 * {@code GET /streams/{id}/overlay.mjpeg}: the stream with its objects drawn on, as Motion JPEG
 * ({@code multipart/x-mixed-replace}), which any browser shows in an {@code <img>}. Each viewer gets the newest
 * picture; a viewer whose connection cannot keep up skips pictures instead of buffering them.
 */
@ApplicationScoped
@Access(value = AccessRole.VIEWER, path = "/streams/:id/overlay.mjpeg", methods = "GET")
public class OverlayRoute {
    private static final Logger LOG = Logger.getLogger(OverlayRoute.class);
    static final String BOUNDARY = "overlayframe";

    void register(@Observes Router router, StreamPipelines pipelines, ObjectCommands commands) {
        router.get("/streams/:id/overlay.mjpeg").handler(ctx -> {
            String id = ctx.pathParam("id");
            HttpServerResponse response = ctx.response();
            if (!commands.known(id)) {
                reject(response, 404, "stream '" + id + "' is not being processed");
                return;
            }
            response.setChunked(true)
                    .putHeader("Content-Type", "multipart/x-mixed-replace; boundary=" + BOUNDARY)
                    .putHeader("Cache-Control", "no-cache, no-store")
                    .putHeader("Connection", "close");
            response.write(Buffer.buffer()); // send the headers now: a viewer knows it is connected before a picture comes
            Context context = Vertx.currentContext();
            OverlayFeed feed = pipelines.overlay(id);
            AutoCloseable watching = feed.watch(jpeg -> context.runOnContext(v -> send(response, jpeg)));
            response.closeHandler(v -> stop(watching));
            response.endHandler(v -> stop(watching));
        });
    }

    private static void send(HttpServerResponse response, byte[] jpeg) {
        if (response.closed() || response.ended() || response.writeQueueFull()) {
            return;
        }
        String head = "--" + BOUNDARY + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n";
        response.write(Buffer.buffer(head.getBytes(StandardCharsets.US_ASCII)).appendBytes(jpeg).appendString("\r\n"));
    }

    private static void stop(AutoCloseable watching) {
        try {
            watching.close();
        } catch (Exception e) {
            LOG.debugf("stopping an overlay viewer: %s", e.getMessage());
        }
    }

    private static void reject(HttpServerResponse response, int status, String message) {
        LOG.infof("%d: %s", status, message);
        try {
            response.setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(Json.MAPPER.writeValueAsString(new ApiError(status, message)));
        } catch (JsonProcessingException e) {
            response.setStatusCode(status).end();
        }
    }
}
