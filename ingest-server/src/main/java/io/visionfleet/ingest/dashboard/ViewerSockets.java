package io.visionfleet.ingest.dashboard;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Vertx;
import io.visionfleet.common.api.ApiGuard;
import io.visionfleet.common.stream.StreamIds;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/** What the dashboard's two viewer sockets share: checking who connects to what, and their bounded outboxes. */
@ApplicationScoped
public class ViewerSockets {
    private static final Logger LOG = Logger.getLogger(ViewerSockets.class);
    static final int POLICY_VIOLATION = 1008;

    private final ApiGuard access;
    private final DashboardConfig config;
    private final Vertx vertx;

    public ViewerSockets(ApiGuard access, DashboardConfig config, Vertx vertx) {
        this.access = access;
        this.config = config;
        this.vertx = vertx;
    }

    /**
     * The connection's outbox, or null after refusing it (closed with 1008 and a reason) because the stream id is
     * invalid or reads need a credential, which it did not bring (a browser's socket carries the login's cookie). A
     * connection let in by a login's cookie is closed when that session ends, as the page's other reads would be refused.
     */
    Outbox accept(WebSocketConnection connection, String streamId, int maxBytes) {
        OptionalLong until = access.readUntil(connection.handshakeRequest().header("Authorization"),
                connection.handshakeRequest().header("Cookie"));
        String refusal = !StreamIds.isValid(streamId) ? "invalid stream id"
                : until.isEmpty() ? "reads need the viewer or fleet token (log in: POST /auth/session)" : null;
        if (refusal != null) {
            LOG.infof("viewer %s refused: %s", connection.id(), refusal);
            close(connection, refusal);
            return null;
        }
        if (until.getAsLong() != Long.MAX_VALUE) {
            vertx.setTimer(Math.max(1, until.getAsLong() - System.currentTimeMillis()), id -> {
                if (connection.isOpen()) {
                    close(connection, ApiGuard.STALE);
                }
            });
        }
        return new Outbox(connection, maxBytes, config.viewerQueueMessages(),
                TimeUnit.MILLISECONDS.toNanos(config.viewerStallTimeout().toMillis()));
    }

    private static void close(WebSocketConnection connection, String reason) {
        connection.close(new CloseReason(POLICY_VIOLATION, reason)).subscribe().with(done -> { }, failure -> { });
    }

    /** The first value of a query parameter of the connection's handshake, or null. */
    static String queryParameter(WebSocketConnection connection, String name) {
        String query = connection.handshakeRequest().query();
        List<String> values = query == null ? null : new QueryStringDecoder(query, false).parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
