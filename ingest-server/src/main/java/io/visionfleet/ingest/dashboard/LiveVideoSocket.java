package io.visionfleet.ingest.dashboard;

import io.quarkus.websockets.next.CloseReason;
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
import io.visionfleet.ingest.relay.RelayStream;
import io.visionfleet.ingest.stream.StreamRegistry;
import org.jboss.logging.Logger;

/**
 * {@code /ws/view/{stream}}: the relayed H.264 or H.265 of a stream for the page's player, each picture tagged with
 * its {@code capture_ts}: Annex-B for WebCodecs by default, fragmented MP4 for Media Source Extensions with
 * {@code ?format=fmp4} (see {@link VideoViewer}, {@link PictureFraming}). A stream that is not on the relay closes the
 * socket with 4404; the page retries. An unknown format closes it with 1008.
 */
@Access(AccessRole.VIEWER)
@WebSocket(path = "/ws/view/{stream}")
public class LiveVideoSocket {
    private static final Logger LOG = Logger.getLogger(LiveVideoSocket.class);
    static final int NO_SUCH_STREAM = 4404;
    private static final UserData.TypedKey<VideoViewer> VIEWER = new UserData.TypedKey<>("video-viewer");
    private static final UserData.TypedKey<RelayStream> STREAM = new UserData.TypedKey<>("video-stream");

    private final StreamRegistry registry;
    private final ViewerSockets sockets;
    private final DashboardConfig config;

    public LiveVideoSocket(StreamRegistry registry, ViewerSockets sockets, DashboardConfig config) {
        this.registry = registry;
        this.sockets = sockets;
        this.config = config;
    }

    @OnOpen
    void open(WebSocketConnection connection, @PathParam String stream) {
        Outbox outbox = sockets.accept(connection, stream, config.viewerQueueBytes());
        if (outbox == null) {
            return;
        }
        PictureFraming framing = PictureFraming.named(ViewerSockets.queryParameter(connection, "format"));
        if (framing == null) {
            connection.close(new CloseReason(ViewerSockets.POLICY_VIOLATION, "format must be annexb or fmp4"))
                    .subscribe().with(done -> { }, failure -> { });
            return;
        }
        RelayStream relayed = registry.find(stream).orElse(null);
        VideoViewer viewer = new VideoViewer(stream, outbox, framing);
        if (relayed == null || !relayed.tap(viewer)) {
            connection.close(new CloseReason(NO_SUCH_STREAM, "no stream '" + stream + "' on the relay"))
                    .subscribe().with(done -> { }, failure -> { });
            return;
        }
        connection.userData().put(VIEWER, viewer);
        connection.userData().put(STREAM, relayed);
        LOG.debugf("video viewer %s watches %s as %s", connection.id(), stream, framing.format());
    }

    @OnTextMessage
    void ignore(String text) {
        // the picture flow is one-way
    }

    @OnClose
    void close(WebSocketConnection connection) {
        VideoViewer viewer = connection.userData().remove(VIEWER);
        RelayStream stream = connection.userData().remove(STREAM);
        if (viewer != null && stream != null) {
            stream.untap(viewer);
            LOG.debugf("video viewer %s left %s: %d pictures sent, %d dropped", connection.id(), stream.id(),
                    viewer.sent(), viewer.dropped());
        }
    }

    @OnError
    void error(Throwable failure, WebSocketConnection connection) {
        LOG.debugf("video viewer %s: %s", connection.id(), failure.getMessage());
    }
}
