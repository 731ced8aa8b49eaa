package io.visionfleet.ingest.dashboard;

import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.PathParam;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.visionfleet.common.api.Access;
import io.visionfleet.common.api.AccessRole;
import org.jboss.logging.Logger;

/**
 * {@code /ws/results/{stream}}: the stream's results of every exchange, joined by {@code capture_ts} (see
 * {@link JoinedResults} for the messages). Read-only: text the viewer sends is ignored.
 */
@Access(AccessRole.VIEWER)
@WebSocket(path = "/ws/results/{stream}")
public class ResultsSocket {
    private static final Logger LOG = Logger.getLogger(ResultsSocket.class);
    private static final UserData.TypedKey<Outbox> OUTBOX = new UserData.TypedKey<>("results-outbox");
    private static final UserData.TypedKey<JoinedResults> RESULTS = new UserData.TypedKey<>("results-stream");
    /** Results are small JSON documents; the message count bounds a viewer's queue, this only guards against huge masks. */
    private static final int MAX_BYTES = 8 << 20;

    private final ResultsHub hub;
    private final ViewerSockets sockets;

    public ResultsSocket(ResultsHub hub, ViewerSockets sockets) {
        this.hub = hub;
        this.sockets = sockets;
    }

    @OnOpen
    void open(WebSocketConnection connection, @PathParam String stream) {
        Outbox outbox = sockets.accept(connection, stream, MAX_BYTES);
        if (outbox == null) {
            return;
        }
        JoinedResults results = hub.stream(stream);
        connection.userData().put(OUTBOX, outbox);
        connection.userData().put(RESULTS, results);
        results.add(outbox);
    }

    @OnTextMessage
    void ignore(String text) {
        // viewers have nothing to say on this socket; prompts go through the REST proxy
    }

    @OnClose
    void close(WebSocketConnection connection) {
        Outbox outbox = connection.userData().remove(OUTBOX);
        JoinedResults results = connection.userData().remove(RESULTS);
        if (outbox != null && results != null) {
            results.remove(outbox);
            if (outbox.dropped() > 0) {
                LOG.infof("results viewer %s left; %d messages were dropped for it", outbox.id(), outbox.dropped());
            }
        }
    }

    @OnError
    void error(Throwable failure, WebSocketConnection connection) {
        LOG.debugf("results viewer %s: %s", connection.id(), failure.getMessage());
    }
}
