package io.visionfleet.ingest.videoauth;

import io.vertx.core.http.HttpServerRequest;
import io.visionfleet.common.api.ApiError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Publish credentials on the REST API, for pull-source registration ({@code POST /streams}): the registering client
 * publishes the new stream, so it presents credentials allowed to publish that stream id, in the header
 * {@value #HEADER} with the value {@code Basic <base64 user:password>} ({@code Authorization} carries the fleet's
 * API token). Streams configured in {@code fleet.sources.streams} are the operator's own and need none.
 */
@ApplicationScoped
public class PublishCredentials {
    public static final String HEADER = "Publish-Authorization";
    private static final Logger LOG = Logger.getLogger(PublishCredentials.class);

    private final VideoAccess access;
    private final RefusalLog refusals = new RefusalLog(LOG, 10);

    public PublishCredentials(VideoAccess access) {
        this.access = access;
    }

    /**
     * The error answer when the request may not publish {@code stream}, or empty when it may. Wrong credentials are
     * answered after the client's failure delay (on this worker thread, at most {@code max-failure-delay}).
     */
    public Optional<Response> refusal(HttpServerRequest request, String stream) {
        String client = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        InetAddress peer = request.remoteAddress() == null ? null : PublishUpgradeCheck.address(client);
        Authorization presented = Authorization.parse(request.getHeader(HEADER));
        VideoAccess.Decision decision;
        if (presented instanceof Authorization.Basic basic) {
            decision = access.check(VideoAction.PUBLISH, stream, peer, basic.user(), basic.password());
        } else if (presented == null || !access.configured()) {
            decision = access.check(VideoAction.PUBLISH, stream, peer, null, null);
        } else {
            decision = new VideoAccess.Decision(VideoAccess.Outcome.WRONG, null, HEADER + " must be Basic <base64 user:password>");
        }
        if (decision.allowed()) {
            if (decision.user() != null) {
                access.succeeded(client);
            }
            return Optional.empty();
        }
        refusals.refused("pull-source registration of stream '" + stream + "'", client, decision.reason());
        return Optional.of(switch (decision.outcome()) {
            case MISSING -> ApiError.response(401, decision.reason() + ": send " + HEADER + ": Basic <base64 user:password>");
            case WRONG -> {
                sleep(access.failed(client));
                yield ApiError.response(401, decision.reason());
            }
            default -> ApiError.response(403, decision.reason());
        });
    }

    private static void sleep(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
