package io.visionfleet.common.consumer;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import io.visionfleet.common.bus.BusConnection;
import io.visionfleet.common.bus.Exchanges;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A live feed of one fanout exchange that carries only the streams a consumer follows: a replica that owns some of
 * the fleet's streams receives those streams' messages and no others, while the fanout still gives everyone else
 * (dashboards, operators, the archive) every stream. The feed's server-named queue is bound to
 * {@link Exchanges#byStream}, a direct exchange behind the fanout, once per followed stream; bindings follow the
 * consumer as it follows and unfollows streams (register the feed with {@link RtspConsumer#addListener}).
 *
 * <p>Call {@link #declare} from the subscription's setup, which runs again on every new channel: it binds every stream
 * followed at that moment, so a channel lost and renewed misses none. A service configured with its streams rather
 * than following them takes a fixed feed ({@link #of}).
 */
public final class FollowedStreamsFeed implements StreamListener {
    private static final Logger LOG = Logger.getLogger(FollowedStreamsFeed.class);

    private final String exchange;
    private final String routed;
    private final Set<String> streams = new LinkedHashSet<>();
    private Channel channel;
    private String queue;

    public FollowedStreamsFeed(String exchange) {
        this.exchange = exchange;
        this.routed = Exchanges.byStream(exchange);
    }

    /** A feed of {@code exchange} for these streams only. */
    public static FollowedStreamsFeed of(String exchange, Collection<String> streams) {
        FollowedStreamsFeed feed = new FollowedStreamsFeed(exchange);
        feed.streams.addAll(streams);
        return feed;
    }

    /**
     * Declares the routing exchange behind the fanout and a server-named, exclusive queue on {@code ch}, bound for
     * every followed stream; returns the queue to consume.
     */
    public String declare(Channel ch) throws IOException {
        return declare(ch, Map.of());
    }

    /** As {@link #declare(Channel)}, the queue with these arguments (a length limit, say). */
    public synchronized String declare(Channel ch, Map<String, Object> queueArguments) throws IOException {
        ch.exchangeDeclare(routed, BuiltinExchangeType.DIRECT, true);
        ch.exchangeBind(routed, exchange, "");
        String declared = ch.queueDeclare("", false, true, true, queueArguments).getQueue();
        for (String stream : streams) {
            ch.queueBind(declared, routed, stream);
        }
        channel = ch;
        queue = declared;
        return declared;
    }

    /** The streams whose messages the feed receives now. */
    public synchronized Set<String> streams() {
        return Set.copyOf(streams);
    }

    @Override
    public synchronized void followed(StreamState stream) {
        if (streams.add(stream.streamId())) {
            route(stream.streamId(), true);
        }
    }

    @Override
    public synchronized void unfollowed(StreamState stream) {
        if (streams.remove(stream.streamId())) {
            route(stream.streamId(), false);
        }
    }

    /**
     * Binds or unbinds the stream on the open channel. A failure closes the channel; its subscription declares again,
     * with the streams followed then.
     */
    private void route(String stream, boolean bind) {
        if (channel == null || !channel.isOpen()) {
            return;
        }
        try {
            if (bind) {
                channel.queueBind(queue, routed, stream);
            } else {
                channel.queueUnbind(queue, routed, stream);
            }
        } catch (IOException | RuntimeException e) {
            LOG.infof("%s stream %s on %s failed (%s); the feed binds again on its next channel",
                    bind ? "binding" : "unbinding", stream, routed, BusConnection.reason(e));
        }
    }
}
