package io.visionfleet.ingest.feed;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import io.visionfleet.common.h264.AccessUnitAssembler;
import io.visionfleet.common.log.LogBudget;
import io.visionfleet.ingest.relay.RelayStream;
import io.visionfleet.ingest.stream.StreamRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Publishers on the video sockets. A connection opens its stream in the registry (one publisher per stream) and
 * closing it closes the stream. Bad input costs the publisher its bad data and an error reply (at most
 * {@value ReplyBudget#MAX_REPLIES} replies per connection), never its connection or anyone else's stream. Each kind
 * of trouble is logged once per connection, and all connections together log at most {@value #LOG_LINES_PER_MINUTE}
 * such lines a minute ({@link LogBudget}; the rest at DEBUG, counted in the next line), so a flood of bad
 * connections cannot flood the log.
 */
@ApplicationScoped
public class VideoIngest {
    static final String SOURCE = "websocket";
    private static final Logger LOG = Logger.getLogger(VideoIngest.class);
    private static final UserData.TypedKey<Publisher> PUBLISHER = new UserData.TypedKey<>("video-publisher");
    private static final int POLICY_VIOLATION = 1008;
    private static final int MESSAGE_TOO_BIG = 1009;
    private static final int INTERNAL_ERROR = 1011;
    private static final int TRY_AGAIN_LATER = 1013;
    static final int LOG_LINES_PER_MINUTE = 10;

    private final StreamRegistry registry;
    private final Feeds feeds;
    private final IngestConfig config;
    private final LogBudget troubleLog = new LogBudget(LOG_LINES_PER_MINUTE, Duration.ofMinutes(1));

    public VideoIngest(StreamRegistry registry, Feeds feeds, IngestConfig config) {
        this.registry = registry;
        this.feeds = feeds;
        this.config = config;
    }

    void open(WebSocketConnection connection, String streamId) {
        RelayStream stream;
        try {
            stream = registry.open(streamId, SOURCE);
        } catch (IllegalArgumentException | IllegalStateException | StreamRegistry.StreamLimitReached e) {
            troubleLog.log(LOG, Logger.Level.WARN, "video publisher %s refused: %s", connection.id(), e.getMessage());
            connection.sendTextAndAwait(SocketReply.error(e.getMessage()));
            // the close reason is limited to 123 bytes, so the full reason (with the id) goes in the reply above
            connection.closeAndAwait(e instanceof StreamRegistry.StreamLimitReached
                    ? new CloseReason(TRY_AGAIN_LATER, "stream limit reached")
                    : new CloseReason(POLICY_VIOLATION,
                    e instanceof IllegalStateException ? "stream already has a publisher" : "invalid stream id"));
            return;
        }
        stream.sourceState("publishing");
        FeedStats stats = new FeedStats(SOURCE);
        feeds.put(streamId, stats);
        connection.userData().put(PUBLISHER, new Publisher(stream, stats, new AnnexBFeed(stream, stats, config)));
    }

    void binary(WebSocketConnection connection, byte[] data) {
        Publisher publisher = connection.userData().get(PUBLISHER);
        if (publisher == null) {
            return; // refused at open; the close is under way
        }
        long dropped = publisher.feed.accept(data, System.currentTimeMillis());
        if (dropped > 0 && !publisher.dropsReported) {
            publisher.dropsReported = true;
            String message = "dropped invalid NAL units (forbidden bit, reserved type or over " + config.maxNalBytes()
                    + " bytes) or pictures (over " + config.maxAccessUnitBytes() + " bytes or "
                    + AccessUnitAssembler.MAX_NALS + " NAL units); further drops are only counted";
            troubleLog.log(LOG, Logger.Level.WARN, "stream %s: %s", publisher.stream.id(), message);
            ReplyBudget.reply(connection, SocketReply.error(message));
        }
        reportRefusedCaptureTime(connection, publisher);
    }

    void text(WebSocketConnection connection, String text) {
        Publisher publisher = connection.userData().get(PUBLISHER);
        if (publisher == null) {
            return;
        }
        ControlMessage message;
        try {
            message = ControlMessage.parse(text);
        } catch (IllegalArgumentException e) {
            publisher.stats.rejectedMessage(e.getMessage());
            if (!publisher.rejectsReported) {
                publisher.rejectsReported = true;
                troubleLog.log(LOG, Logger.Level.WARN,
                        "stream %s: control message refused (%s); further refusals are only counted",
                        publisher.stream.id(), e.getMessage());
            }
            ReplyBudget.reply(connection, SocketReply.error(e.getMessage()));
            return;
        }
        if (message.type().equals(ControlMessage.ACCESS_UNIT)) {
            // no ack: one per picture would double the messages
            publisher.feed.captureTime(message.captureTs(), message.pictureBytes());
            reportRefusedCaptureTime(connection, publisher);
            return;
        }
        publisher.stats.videoConfig(message.body());
        if (message.fps() > 0) {
            publisher.feed.announcedFps(message.fps());
        }
        if (message.codec() != null) {
            publisher.feed.declaredCodec(message.codec());
        }
        if (!publisher.configLogged) {
            publisher.configLogged = true;
            LOG.infof("stream %s: video config %s", publisher.stream.id(), message.body());
        }
        ReplyBudget.reply(connection, SocketReply.ack(message.type()));
    }

    /** Tells the publisher once that its clock is not believed, and by which rule. */
    private void reportRefusedCaptureTime(WebSocketConnection connection, Publisher publisher) {
        String refusal = publisher.feed.firstRefusal();
        if (refusal == null || publisher.refusalReported) {
            return;
        }
        publisher.refusalReported = true;
        String message = refusal + "; such pictures are stamped from their arrival instead, further refusals are only counted";
        troubleLog.log(LOG, Logger.Level.WARN, "stream %s: %s", publisher.stream.id(), message);
        ReplyBudget.reply(connection, SocketReply.error(message));
    }

    /**
     * A message that could not be received, typically one over {@code quarkus.websockets-next.server.max-message-size}.
     * The publisher's byte stream now has a hole, so the connection is closed (1009 for a message too big), with
     * the reason; other connections and streams are untouched.
     */
    void error(WebSocketConnection connection, Throwable failure) {
        Publisher publisher = connection.userData().get(PUBLISHER);
        String stream = publisher == null ? "none" : publisher.stream.id();
        troubleLog.log(LOG, Logger.Level.WARN, "video connection %s (stream %s) closed after a failed message: %s",
                connection.id(), stream, failure);
        if (publisher != null) {
            publisher.stats.rejectedMessage(String.valueOf(failure.getMessage()));
            // the stream is free before the publisher hears of the close: it may reconnect at once
            connection.userData().remove(PUBLISHER);
            release(publisher);
        }
        if (connection.isOpen()) {
            // the reply goes out whatever the budget: it is the last one on this connection
            int code = isOversized(failure) ? MESSAGE_TOO_BIG : INTERNAL_ERROR;
            connection.sendText(SocketReply.error(String.valueOf(failure.getMessage())))
                    .chain(() -> connection.close(new CloseReason(code, code == MESSAGE_TOO_BIG ? "message too big" : "message failed")))
                    .subscribe().with(closed -> { }, closeFailure -> { });
        }
    }

    private void release(Publisher publisher) {
        publisher.feed.finish();
        feeds.remove(publisher.stream.id(), publisher.stats);
        registry.close(publisher.stream);
    }

    /** Netty refuses a frame over max-frame-size; Vert.x refuses a message whose frames add up to over max-message-size. */
    private static boolean isOversized(Throwable failure) {
        return failure instanceof CorruptedWebSocketFrameException
                || (failure instanceof IllegalStateException && String.valueOf(failure.getMessage()).contains("max message size"));
    }

    void close(WebSocketConnection connection) {
        Publisher publisher = connection.userData().remove(PUBLISHER);
        if (publisher == null) {
            return; // refused at open, or released when the server closed it
        }
        release(publisher);
        CloseReason reason = connection.closeReason();
        if (reason != null && reason.getCode() != 1000 && reason.getCode() != 1001) {
            // e.g. 1009 when a message exceeds quarkus.websockets-next.server.max-message-size
            troubleLog.log(LOG, Logger.Level.WARN, "stream %s: publisher connection closed with %d %s",
                    publisher.stream.id(), reason.getCode(), reason.getMessage() == null ? "" : reason.getMessage());
        }
        FeedStats.Errors errors = publisher.stats.errors();
        if (errors.droppedNals() > 0 || errors.droppedAccessUnits() > 0 || errors.rejectedMessages() > 0
                || errors.refusedCaptureTimes() > 0) {
            troubleLog.log(LOG, Logger.Level.INFO, "stream %s: publisher left; %s", publisher.stream.id(), errors);
        }
    }

    /** Per-connection state; touched only by the connection's serial message processing. */
    private static final class Publisher {
        final RelayStream stream;
        final FeedStats stats;
        final AnnexBFeed feed;
        boolean dropsReported;
        boolean rejectsReported;
        boolean refusalReported;
        boolean configLogged;

        Publisher(RelayStream stream, FeedStats stats, AnnexBFeed feed) {
            this.stream = stream;
            this.stats = stats;
            this.feed = feed;
        }
    }
}
