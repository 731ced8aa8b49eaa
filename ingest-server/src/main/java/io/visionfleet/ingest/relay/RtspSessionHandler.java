package io.visionfleet.ingest.relay;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.rtsp.RtspHeaderNames;
import io.netty.handler.codec.rtsp.RtspResponseStatuses;
import io.netty.handler.timeout.IdleStateEvent;
import io.visionfleet.common.h264.VideoCodec;
import io.visionfleet.common.log.LogBudget;
import io.visionfleet.common.net.UrlCredentials;
import io.visionfleet.ingest.videoauth.VideoAccess;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Serves the RTSP requests of one connection to its {@link RtspServerSession}: INIT --SETUP--> READY --PLAY--> PLAYING,
 * back to INIT on TEARDOWN. OPTIONS and GET_PARAMETER are answered in every state (clients use them as keep-alive); a
 * request in the wrong state gets 455, a foreign session id 454, an unknown method 501, a method the relay does not
 * serve 405. Every response echoes CSeq. A request that cannot be framed or parsed gets 400 and the connection
 * is closed, since what follows it cannot be trusted. Until it plays, a connection must complete a request within
 * {@code request-timeout} of connecting or of its previous one, or it gets 408 and is closed.
 * <p>
 * DESCRIBE and SETUP need read credentials for their stream ({@link VideoAccess}): without them the answer is 401
 * with a {@code WWW-Authenticate} challenge per offered scheme (Digest, Basic), with wrong ones the same after the
 * client's failure delay, with credentials for other streams 403. PLAY plays the stream its SETUP was allowed.
 */
final class RtspSessionHandler extends SimpleChannelInboundHandler<Object> {
    private static final Logger LOG = Logger.getLogger(RtspSessionHandler.class);
    private static final Pattern CSEQ = Pattern.compile("\\d{1,9}");
    private static final long LINGER_MS = 2_000;

    private final RelayStreams registry;
    private final RelayConfig config;
    private final LogBudget logBudget;
    private final VideoAccess access;
    private final ReadAuthenticator authenticator;
    private final RtspServerSession session = new RtspServerSession();
    private ScheduledFuture<?> requestDeadline;
    /** Answered with an error and closing: nothing more the client sends is handled. */
    private boolean closing;
    private RelayStream stream;
    private RelayReader reader;
    /**
     * Errors are logged once per connection at INFO, within the server's {@link LogBudget}, then at DEBUG, so that
     * neither one misbehaving client nor a flood of them can flood the log.
     */
    private boolean loggedError;

    RtspSessionHandler(RelayStreams registry, RelayConfig config, LogBudget logBudget, VideoAccess access) {
        this.registry = registry;
        this.config = config;
        this.logBudget = logBudget;
        this.access = access;
        this.authenticator = new ReadAuthenticator(access, defaultAuthority());
    }

    /** Whether the connection on this pipeline is playing a stream; false for a connection not yet configured. */
    static boolean isPlaying(Channel channel) {
        RtspSessionHandler handler = channel.pipeline().get(RtspSessionHandler.class);
        return handler != null && handler.session.playing();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        armRequestDeadline(ctx);
        super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            return;
        }
        if (msg instanceof FullHttpRequest request) {
            handle(ctx, request);
            armRequestDeadline(ctx);
        } else if (msg instanceof MalformedRequest malformed) {
            rejectAndClose(ctx, malformed.reason());
        }
        // interleaved frames are RTCP receiver reports: reading them keeps the session alive, and that is all
    }

    private void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            rejectAndClose(ctx, "unparsable request");
            return;
        }
        String cseq = request.headers().get(RtspHeaderNames.CSEQ);
        if (cseq == null || !CSEQ.matcher(cseq.trim()).matches()) {
            error(ctx, request, null, new RtspException(RtspResponseStatuses.BAD_REQUEST, "missing or invalid CSeq"));
            return;
        }
        cseq = cseq.trim();
        try {
            switch (RtspMethod.of(request.method().name())) {
                case OPTIONS -> options(ctx, request, cseq);
                case DESCRIBE -> describe(ctx, request, cseq);
                case SETUP -> setup(ctx, request, cseq);
                case PLAY -> play(ctx, request, cseq);
                case GET_PARAMETER -> getParameter(ctx, request, cseq);
                case TEARDOWN -> teardown(ctx, request, cseq);
            }
        } catch (RtspException e) {
            error(ctx, request, cseq, e);
        }
    }

    private void options(ChannelHandlerContext ctx, FullHttpRequest request, String cseq) {
        FullHttpResponse response = RtspResponses.empty(RtspResponseStatuses.OK, cseq);
        response.headers().set(RtspHeaderNames.PUBLIC, RtspMethod.PUBLIC);
        echoSession(request, response);
        ctx.writeAndFlush(response);
    }

    private void describe(ChannelHandlerContext ctx, FullHttpRequest request, String cseq) {
        RequestTarget target = RequestTarget.parse(request.uri(), defaultAuthority());
        if (!authorized(ctx, request, cseq, target.streamId())) {
            return;
        }
        RelayStream found = findStream(target.streamId());
        VideoCodec codec = found.codec();
        String sdp = found.sdp().orElseThrow(() -> new RtspException(RtspResponseStatuses.SERVICE_UNAVAILABLE,
                "stream '" + target.streamId() + "' has no SPS/PPS yet; retry shortly"));
        session.described(target.streamId(), codec);
        FullHttpResponse response = RtspResponses.of(RtspResponseStatuses.OK, cseq, "application/sdp", sdp);
        response.headers().set(RtspHeaderNames.CONTENT_BASE, target.base());
        ctx.writeAndFlush(response);
    }

    private void setup(ChannelHandlerContext ctx, FullHttpRequest request, String cseq) {
        session.checkSetup(request.headers().get(RtspHeaderNames.SESSION));
        RequestTarget target = RequestTarget.parse(request.uri(), defaultAuthority());
        if (!authorized(ctx, request, cseq, target.streamId())) {
            return;
        }
        RelayStream found = findStream(target.streamId());
        if (!found.hasParameterSets()) {
            throw new RtspException(RtspResponseStatuses.SERVICE_UNAVAILABLE,
                    "stream '" + target.streamId() + "' has no SPS/PPS yet; retry shortly");
        }
        InterleavedTransport chosen;
        try {
            chosen = InterleavedTransport.choose(request.headers().get(RtspHeaderNames.TRANSPORT))
                    .orElseThrow(() -> new RtspException(RtspResponseStatuses.UNSUPPORTED_TRANSPORT,
                            "only RTP/AVP/TCP with interleaved channels is served"));
        } catch (IllegalArgumentException e) {
            throw new RtspException(RtspResponseStatuses.BAD_REQUEST, e.getMessage());
        }
        session.setUp(target.streamId(), found.codec(), chosen);
        FullHttpResponse response = RtspResponses.empty(RtspResponseStatuses.OK, cseq);
        response.headers().set(RtspHeaderNames.TRANSPORT, chosen.header());
        response.headers().set(RtspHeaderNames.SESSION, session.setupHeader(config.sessionTimeoutSeconds()));
        ctx.writeAndFlush(response);
    }

    private void play(ChannelHandlerContext ctx, FullHttpRequest request, String cseq) {
        session.checkPlay(request.headers().get(RtspHeaderNames.SESSION));
        FullHttpResponse response = RtspResponses.empty(RtspResponseStatuses.OK, cseq);
        response.headers().set(RtspHeaderNames.SESSION, session.id());
        response.headers().set(RtspHeaderNames.RANGE, "npt=0.000-");
        // no RTP-Info: the sender report sent ahead of the first packet anchors the reader's clock instead
        if (session.playing()) {
            ctx.writeAndFlush(response);
            return;
        }
        String streamId = session.streamId();
        InterleavedTransport transport = session.transport();
        RelayStream found = findStream(streamId);
        RelayReader started = found.newReader(session.id(), ctx.channel(), transport.rtpChannel(), transport.rtcpChannel());
        // playing before the answer leaves: a client that got its 200 may connect again at once, and the accept path,
        // on another thread, must not close this connection as an idle one to admit that one
        session.started();
        // the response goes out before any interleaved data: FFmpeg discards what arrives before it
        ctx.writeAndFlush(response);
        if (!found.attach(started, session.codec())) {
            LOG.infof("stream %s closed or changed codec while %s started playing it", streamId, remote(ctx));
            ctx.close();
            return;
        }
        stream = found;
        reader = started;
        LOG.infof("reader %s of stream %s playing from %s", session.id(), streamId, remote(ctx));
    }

    private void getParameter(ChannelHandlerContext ctx, FullHttpRequest request, String cseq) {
        session.checkNames(request.headers().get(RtspHeaderNames.SESSION), false);
        FullHttpResponse response = RtspResponses.empty(RtspResponseStatuses.OK, cseq);
        echoSession(request, response);
        ctx.writeAndFlush(response);
    }

    private void teardown(ChannelHandlerContext ctx, FullHttpRequest request, String cseq) {
        session.checkNames(request.headers().get(RtspHeaderNames.SESSION), true);
        stopPlaying("TEARDOWN");
        session.tearDown();
        ctx.writeAndFlush(RtspResponses.empty(RtspResponseStatuses.OK, cseq));
    }

    /**
     * Whether the request may read {@code stream}; when not, its answer (401 with challenges, or 403) is written
     * here, after the failure delay when it presented wrong credentials, and the connection reads nothing meanwhile.
     */
    private boolean authorized(ChannelHandlerContext ctx, FullHttpRequest request, String cseq, String stream) {
        InetAddress peer = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
        String client = peer == null ? "unknown" : peer.getHostAddress();
        ReadAuthenticator.Verdict verdict = authenticator.check(request.headers().get(RtspHeaderNames.AUTHORIZATION),
                request.method().name(), stream, peer);
        VideoAccess.Decision decision = verdict.decision();
        if (decision.allowed()) {
            if (decision.user() != null) {
                access.succeeded(client);
            }
            return true;
        }
        String reason = decision.reason();
        switch (decision.outcome()) {
            case MISSING -> {
                // the usual first round of every client that has credentials: not worth a log line
                LOG.debugf("RTSP %s from %s: 401 %s", request.method(), remote(ctx), reason);
                ctx.writeAndFlush(challenge(cseq, reason, verdict.stale()));
            }
            case WRONG -> {
                long delayMs = access.failed(client);
                logError(ctx, request, RtspResponseStatuses.UNAUTHORIZED, reason);
                FullHttpResponse answer = challenge(cseq, reason, false);
                ctx.channel().config().setAutoRead(false);
                ctx.executor().schedule(() -> {
                    ctx.writeAndFlush(answer);
                    ctx.channel().config().setAutoRead(true);
                }, delayMs, TimeUnit.MILLISECONDS);
            }
            default -> error(ctx, request, cseq, new RtspException(RtspResponseStatuses.FORBIDDEN, reason));
        }
        return false;
    }

    private FullHttpResponse challenge(String cseq, String reason, boolean stale) {
        FullHttpResponse response = RtspResponses.error(RtspResponseStatuses.UNAUTHORIZED, cseq, reason);
        for (String challenge : authenticator.challenges(stale)) {
            response.headers().add(RtspHeaderNames.WWW_AUTHENTICATE, challenge);
        }
        return response;
    }

    /** (Re)starts the wait for the next request, unless the connection is playing or gone. */
    private void armRequestDeadline(ChannelHandlerContext ctx) {
        if (requestDeadline != null) {
            requestDeadline.cancel(false);
            requestDeadline = null;
        }
        if (!session.playing() && !closing && ctx.channel().isActive()) {
            long timeoutMs = config.requestTimeout().toMillis();
            requestDeadline = ctx.executor().schedule(() -> answerAndClose(ctx, RtspResponseStatuses.REQUEST_TIMEOUT,
                    "no complete request within " + timeoutMs + " ms"), timeoutMs, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (requestDeadline != null) {
            requestDeadline.cancel(false);
        }
        stopPlaying("disconnect");
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            LOG.infof("closing RTSP connection from %s: nothing received for %d s", remote(ctx),
                    config.sessionTimeoutSeconds());
            ctx.close();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debugf("RTSP connection from %s: %s", remote(ctx), cause.getMessage());
        } else {
            LOG.warnf(cause, "RTSP connection from %s failed", remote(ctx));
        }
        ctx.close();
    }

    private void stopPlaying(String why) {
        if (reader != null) {
            stream.detach(reader);
            RelayStats.Reader stats = reader.stats();
            LOG.infof("reader %s of stream %s stopped (%s): %d access units sent, %d dropped", reader.id(),
                    stream.id(), why, stats.accessUnitsSent(), stats.drops());
            reader = null;
            stream = null;
        }
    }

    private void echoSession(FullHttpRequest request, FullHttpResponse response) {
        String echoed = session.echo(request.headers().get(RtspHeaderNames.SESSION));
        if (echoed != null) {
            response.headers().set(RtspHeaderNames.SESSION, echoed);
        }
    }

    private RelayStream findStream(String id) {
        return registry.find(id).orElseThrow(() -> new RtspException(RtspResponseStatuses.NOT_FOUND,
                "no stream '" + id + "'"));
    }

    private void error(ChannelHandlerContext ctx, FullHttpRequest request, String cseq, RtspException e) {
        logError(ctx, request, e.status(), e.getMessage());
        ctx.writeAndFlush(RtspResponses.error(e.status(), cseq, e.getMessage()));
    }

    private void rejectAndClose(ChannelHandlerContext ctx, String reason) {
        answerAndClose(ctx, RtspResponseStatuses.BAD_REQUEST, reason);
    }

    /** Answers and closes ({@link #closeAfter}); what the client still sends meanwhile is discarded by the splitter. */
    private void answerAndClose(ChannelHandlerContext ctx, HttpResponseStatus status, String reason) {
        closing = true;
        stopPlaying("refused request");
        logError(ctx, null, status, reason);
        closeAfter(ctx.writeAndFlush(RtspResponses.error(status, null, reason)));
    }

    /**
     * Once {@code answer}, the connection's last, is written: half-closes, and closes once the client has closed too
     * or after {@value #LINGER_MS} ms. Closing at once with the client's further bytes unread would reset the
     * connection, and the client would lose the answer.
     */
    static void closeAfter(ChannelFuture answer) {
        Channel channel = answer.channel();
        answer.addListener(written -> {
            if (channel instanceof SocketChannel socket && written.isSuccess()) {
                socket.shutdownOutput();
                channel.eventLoop().schedule(() -> channel.close(), LINGER_MS, TimeUnit.MILLISECONDS);
            } else {
                channel.close();
            }
        });
    }

    private void logError(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, String reason) {
        String what = request == null ? "request" : request.method().name() + " " + abbreviate(UrlCredentials.redact(request.uri()));
        long suppressed = loggedError ? -1 : logBudget.take();
        loggedError = true;
        if (suppressed < 0) {
            LOG.debugf("RTSP %s from %s: %s %s", what, remote(ctx), status, reason);
        } else {
            LOG.infof("RTSP %s from %s: %s %s%s", what, remote(ctx), status, reason,
                    suppressed == 0 ? "" : " (" + suppressed + " refusals of other connections not logged)");
        }
    }

    private String defaultAuthority() {
        return config.advertisedHost() + ":" + config.port();
    }

    private static String remote(ChannelHandlerContext ctx) {
        return String.valueOf(ctx.channel().remoteAddress());
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "...";
    }
}
