package io.visionfleet.ingest.videoauth;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.visionfleet.ingest.feed.IngestConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Publish credentials on the ingest WebSockets ({@code /ws/video/{streamId}}, {@code /ws/video},
 * {@code /ws/telemetry/{streamId}}), checked before the upgrade: {@code Authorization: Basic} or, for clients that
 * cannot set headers on a WebSocket (browsers), the query parameters {@code user} and {@code pass}. A refused
 * upgrade is answered 401 with a {@code WWW-Authenticate} challenge (credentials missing or wrong) or 403 (right
 * credentials for another stream, or a remote client while no credentials are configured); wrong credentials are
 * answered after the client's failure delay.
 */
@ApplicationScoped
public class PublishUpgradeCheck implements HttpUpgradeCheck {
    private static final Logger LOG = Logger.getLogger(PublishUpgradeCheck.class);
    /** The authenticated publisher, or absent for a loopback client while no credentials are configured. */
    public static final UserData.TypedKey<String> USER = UserData.TypedKey.forString("video-publisher-user");
    private static final Set<String> ENDPOINTS = Set.of("io.visionfleet.ingest.feed.VideoSocket",
            "io.visionfleet.ingest.feed.DroneVideoSocket", "io.visionfleet.ingest.feed.TelemetrySocket");

    private final VideoAccess access;
    private final IngestConfig ingest;
    private final RefusalLog refusals = new RefusalLog(LOG, 10);

    public PublishUpgradeCheck(VideoAccess access, IngestConfig ingest) {
        this.access = access;
        this.ingest = ingest;
    }

    @Override
    public boolean appliesTo(String endpointId) {
        return ENDPOINTS.contains(endpointId);
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        HttpServerRequest request = context.httpRequest();
        String stream = context.pathParam("streamId");
        if (stream == null) {
            stream = ingest.defaultStreamId();
        }
        String client = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        Authorization presented = Authorization.parse(request.getHeader("Authorization"));
        if (presented == null && request.getParam("user") != null) {
            presented = new Authorization.Basic(request.getParam("user"), request.getParam("pass"));
        }
        InetAddress peer = request.remoteAddress() == null ? null : address(client);
        VideoAccess.Decision decision;
        if (presented == null) {
            decision = access.check(VideoAction.PUBLISH, stream, peer, null, null);
        } else if (presented instanceof Authorization.Basic basic) {
            decision = access.check(VideoAction.PUBLISH, stream, peer, basic.user(), basic.password());
        } else {
            decision = access.configured()
                    ? new VideoAccess.Decision(VideoAccess.Outcome.WRONG, null, "use Authorization: Basic, or the query parameters user and pass")
                    : access.check(VideoAction.PUBLISH, stream, peer, null, null);
        }
        if (decision.allowed()) {
            if (decision.user() != null) {
                access.succeeded(client);
                context.userData().put(USER, decision.user());
            }
            return CheckResult.permitUpgrade();
        }
        String what = "publisher of stream '" + stream + "'";
        return switch (decision.outcome()) {
            case MISSING -> {
                refusals.refused(what, client, decision.reason());
                yield CheckResult.rejectUpgrade(401, challenge());
            }
            case WRONG -> {
                long delayMs = access.failed(client);
                refusals.refused(what, client, decision.reason());
                yield CheckResult.rejectUpgrade(401, challenge()).onItem().delayIt().by(Duration.ofMillis(delayMs));
            }
            default -> {
                refusals.refused(what, client, decision.reason());
                yield CheckResult.rejectUpgrade(403);
            }
        };
    }

    private Map<String, List<String>> challenge() {
        return Map.of("WWW-Authenticate", List.of("Basic realm=\"" + access.realm() + "\", charset=\"UTF-8\""));
    }

    /** The peer's address; its text form is an IP literal, so this resolves nothing. */
    static InetAddress address(String hostAddress) {
        try {
            return InetAddress.getByName(hostAddress);
        } catch (UnknownHostException | RuntimeException e) {
            return null;
        }
    }
}
