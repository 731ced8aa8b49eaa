package io.visionfleet.ingest.relay;

import io.netty.bootstrap.ServerBootstrap;
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
import io.netty.util.concurrent.DefaultThreadFactory;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.concurrent.TimeUnit;

/**
 * The embedded RTSP server: serves every stream of the {@link RelayStreams} at
 * {@code rtsp://host:port/{stream}} on its own small Netty event-loop group, apart from the HTTP server.
 * Started with the application; {@link #stop()} and {@link #start()} also let an operator or a test restart it.
 */
@ApplicationScoped
public class RtspServer {
    private static final Logger LOG = Logger.getLogger(RtspServer.class);

    private final RelayConfig config;
    private final RelayStreams registry;
    private EventLoopGroup group;
    private Channel serverChannel;
    private ChannelGroup clients;

    public RtspServer(RelayConfig config, RelayStreams registry) {
        this.config = config;
        this.registry = registry;
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
                        if (clients.size() >= config.maxClients()) {
                            LOG.warnf("refusing RTSP connection from %s: %d clients already connected",
                                    channel.remoteAddress(), clients.size());
                            channel.close();
                            return;
                        }
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

    private void configure(ChannelPipeline pipeline) {
        int maxRequest = config.maxRequestBytes();
        // outbound, socket side first: interleaved packets must not reach the RTSP encoder, which rejects them
        pipeline.addLast("interleaved-encoder", InterleavedFrameEncoder.INSTANCE);
        pipeline.addLast("rtsp-encoder", new RtspEncoder());
        pipeline.addLast("idle", new IdleStateHandler(config.sessionTimeoutSeconds(), 0, 0));
        pipeline.addLast("splitter", new RtspFrameSplitter(maxRequest, config.maxInterleavedBytes()));
        pipeline.addLast("rtsp-decoder", new RtspDecoder(maxRequest, maxRequest, maxRequest));
        pipeline.addLast("aggregator", new HttpObjectAggregator(maxRequest));
        pipeline.addLast("session", new RtspSessionHandler(registry, config));
    }

    private void shutdownGroup() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        group = null;
        clients = null;
    }
}
