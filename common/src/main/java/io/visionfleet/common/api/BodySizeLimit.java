package io.visionfleet.common.api;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request whose declared body is over {@code quarkus.http.limits.max-body-size} with a JSON 413 before
 * anything reads it. Quarkus refuses it too, but with an empty body; this route runs just before its check so the
 * caller learns the limit. The connection is closed, as the body is not read. Bodies sent without a length are
 * still cut off by Quarkus while they are read, and the REST mappers word that refusal.
 */
@ApplicationScoped
public class BodySizeLimit {
    /** Quarkus's own check has order -2. */
    private static final int BEFORE_QUARKUS = -3;

    void register(@Observes Router router,
                  @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize limit) {
        long max = limit.asLongValue();
        router.route().order(BEFORE_QUARKUS).handler(ctx -> {
            if (declared(ctx.request().getHeader(HttpHeaderNames.CONTENT_LENGTH)) > max) {
                ctx.response().putHeader(HttpHeaderNames.CONNECTION, "close");
                ApiError.send(ctx.response(), 413, "request body over the limit of " + max + " bytes");
            } else {
                ctx.next();
            }
        });
    }

    /** The declared length, or -1 when there is none or it is not a number (the HTTP codec refuses the latter). */
    private static long declared(String contentLength) {
        try {
            return contentLength == null ? -1 : Long.parseLong(contentLength.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
