package io.visionfleet.ingest.relay;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.rtsp.RtspDecoder;
import io.netty.handler.codec.rtsp.RtspEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.visionfleet.common.log.LogBudget;
import io.visionfleet.ingest.videoauth.VideoAccess;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The embedded RTSP server: serves every stream of the {@link RelayStreams} at
 * {@code rtsp://host:port/{stream}} on its own small Netty event-loop group, apart from the HTTP server.
 * Started with the application; {@link #stop()} and {@link #start()} also let an operator or a test restart it.
 */
@ApplicationScoped
public class RtspServer {
    private static final Logger LOG = Logger.getLogger(RtspServer.class);
    private static final AttributeKey<Long> ACCEPTED_NANOS = AttributeKey.valueOf("rtsp-accepted-nanos");
    private static final String SERVICE_UNAVAILABLE = "RTSP/1.0 503 Service Unavailable\r\nServer: vision-fleet relay\r\n"
            + "Content-Length: 0\r\n\r\n";

    private final RelayConfig config;
    private final RelayStreams registry;
    private final VideoAccess access;
    private EventLoopGroup group;
    private Channel serverChannel;
    private ChannelGroup clients;
    private final Object admission = new Object();
    /** Refusals logged across all connections: ten a minute. */
    private final LogBudget logBudget = new LogBudget(10, Duration.ofMinutes(1));
    /** Connections closed to admit others; guarded by {@link #admission}. */
    private long evicted;

    public RtspServer(RelayConfig config, RelayStreams registry, VideoAccess access) {
        this.config = config;
        this.registry = registry;
        this.access = access;
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /**
     * Binds the port and accepts readers; does nothing when already running.
     *
     * @throws IllegalStateException when the port cannot be bound
     */
    public synchronized void start() {
        if (serverChannel != null) {
            return;
        }
        group = new NioEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("rtsp-relay", true));
        clients = new DefaultChannelGroup(group.next());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_SNDBUF, config.sendBufferBytes())
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.readerQueueBytes() / 2, config.readerQueueBytes()))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (!admit(channel)) {
                            return;
                        }
                        channel.attr(ACCEPTED_NANOS).set(System.nanoTime());
                        clients.add(channel);
                        configure(channel.pipeline());
                    }
                });
        try {
            serverChannel = bootstrap.bind(config.bindHost(), config.port()).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            shutdownGroup();
            throw new IllegalStateException("RTSP relay cannot listen on " + config.bindHost() + ":" + config.port()
                    + ": " + e.getMessage(), e);
        }
        LOG.infof("RTSP relay listening on %s:%d", config.bindHost(), config.port());
    }

    /** Closes the port and every connection; readers see the relay go away. Does nothing when stopped. */
    public synchronized void stop() {
        if (serverChannel == null) {
            return;
        }
        serverChannel.close().syncUninterruptibly();
        clients.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        serverChannel = null;
        shutdownGroup();
        LOG.info("RTSP relay stopped");
    }

    public synchronized boolean isRunning() {
        return serverChannel != null;
    }

    /** Open RTSP connections, playing or not. */
    public synchronized int connections() {
        return clients == null ? 0 : clients.size();
    }

    /**
     * Makes room for {@code channel} at the connection limit by closing the oldest connection that is not playing;
     * when every connection plays, answers 503 and closes {@code channel} instead.
     */
    private boolean admit(SocketChannel channel) {
        synchronized (admission) {
            if (clients.size() < config.maxClients()) {
                return true;
            }
            Channel oldest = null;
            for (Channel client : clients) {
                Long accepted = client.attr(ACCEPTED_NANOS).get();
                if (client.isActive() && !RtspSessionHandler.isPlaying(client)
                        && (oldest == null || accepted - oldest.attr(ACCEPTED_NANOS).get() < 0)) {
                    oldest = client;
                }
            }
            if (oldest != null) {
                evicted++;
                String message = "closing RTSP connection from %s, not playing, to admit %s: %d connections is the limit (%d closed so far)";
                LOG.logf(evicted == 1 ? Logger.Level.INFO : Logger.Level.DEBUG, message, oldest.remoteAddress(),
                        channel.remoteAddress(), config.maxClients(), evicted);
                oldest.close();
                return true;
            }
        }
        if (logBudget.take() >= 0) {
            LOG.warnf("refusing RTSP connection from %s: %d readers are playing", channel.remoteAddress(), clients.size());
        }
        // the client's request may already be on its way: a plain close could reset the connection over the answer
        RtspSessionHandler.closeAfter(channel.writeAndFlush(
                Unpooled.copiedBuffer(SERVICE_UNAVAILABLE, StandardCharsets.US_ASCII)));
        return false;
    }

    private void configure(ChannelPipeline pipeline) {
        int maxRequest = config.maxRequestBytes();
        // outbound, socket side first: interleaved packets must not reach the RTSP encoder, which rejects them
        pipeline.addLast("interleaved-encoder", InterleavedFrameEncoder.INSTANCE);
        pipeline.addLast("rtsp-encoder", new RtspEncoder());
        pipeline.addLast("idle", new IdleStateHandler(config.sessionTimeoutSeconds(), 0, 0));
        pipeline.addLast("splitter", new RtspFrameSplitter(maxRequest, config.maxInterleavedBytes()));
        pipeline.addLast("rtsp-decoder", new RtspDecoder(maxRequest, maxRequest, maxRequest));
        pipeline.addLast("aggregator", new HttpObjectAggregator(maxRequest));
        pipeline.addLast("session", new RtspSessionHandler(registry, config, logBudget, access));
    }

    private void shutdownGroup() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        group = null;
        clients = null;
    }
}
