package io.visionfleet.ingest.dashboard;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.visionfleet.common.api.ApiGuard;
import io.visionfleet.common.stream.StreamIds;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the dashboard's two viewer sockets share: checking who connects to what, and their bounded outboxes. */
@ApplicationScoped
public class ViewerSockets {
    private static final Logger LOG = Logger.getLogger(ViewerSockets.class);
    static final int POLICY_VIOLATION = 1008;

    private final ApiGuard access;
    private final DashboardConfig config;

    public ViewerSockets(ApiGuard access, DashboardConfig config) {
        this.access = access;
        this.config = config;
    }

    /**
     * The connection's outbox, or null after refusing it (closed with 1008 and a reason) because the stream id is
     * invalid or reads need a credential, which it did not bring (a browser's socket carries the login's cookie).
     */
    Outbox accept(WebSocketConnection connection, String streamId, int maxBytes) {
        String refusal = null;
        if (!StreamIds.isValid(streamId)) {
            refusal = "invalid stream id";
        } else if (!access.mayRead(connection.handshakeRequest().header("Authorization"),
                connection.handshakeRequest().header("Cookie"))) {
            refusal = "reads need the viewer or fleet token (log in: POST /auth/session)";
        }
        if (refusal != null) {
            LOG.infof("viewer %s refused: %s", connection.id(), refusal);
            connection.close(new CloseReason(POLICY_VIOLATION, refusal)).subscribe().with(done -> { }, failure -> { });
            return null;
        }
        return new Outbox(connection, maxBytes, config.viewerQueueMessages(),
                TimeUnit.MILLISECONDS.toNanos(config.viewerStallTimeout().toMillis()));
    }

    /** The first value of a query parameter of the connection's handshake, or null. */
    static String queryParameter(WebSocketConnection connection, String name) {
        String query = connection.handshakeRequest().query();
        List<String> values = query == null ? null : new QueryStringDecoder(query, false).parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
