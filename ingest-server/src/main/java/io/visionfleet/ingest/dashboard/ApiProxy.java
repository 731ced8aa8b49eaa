package io.visionfleet.ingest.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.visionfleet.common.api.ApiError;
import io.visionfleet.common.api.ApiGuard;
import io.visionfleet.common.bus.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.net.ConnectException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * {@code /api/{service}/**}: the services' REST APIs on the dashboard's origin, so the page needs no CORS. The path
 * after the service name and the query go to the service unchanged; headers other than hop-by-hop ones pass both
 * ways, {@code Range} included, and response bodies stream through with back-pressure (segment downloads). A
 * service that refuses the connection or answers garbage gives 502, one that does not answer in time 504, each
 * with a JSON message naming the service. The caller's credential was checked before ({@link ApiGuard});
 * its {@code Authorization} and session cookie (of all its cookies, only that one) go to the service as they came,
 * which checks them again: the proxy never adds a credential of its own.
 */
@ApplicationScoped
public class ApiProxy {
    private static final Logger LOG = Logger.getLogger(ApiProxy.class);
    private static final String PREFIX = "/api/";
    /** RFC 9110 7.6.1 hop-by-hop headers, plus those the proxy sets itself or must not pass on. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length",
            "cookie");
    private static final Set<HttpMethod> BODY_METHODS = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

    private final Upstreams upstreams;
    private final DashboardConfig config;
    /** Per-stream calls go to the replica that owns the stream. */
    @Inject
    OwnerRouting routing;
    /** Services whose last request failed: a down service is logged once, not on every poll of the page. */
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    public ApiProxy(Upstreams upstreams, DashboardConfig config) {
        this.upstreams = upstreams;
        this.config = config;
    }

    void register(@Observes Router router, Vertx vertx) {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setMaxPoolSize(32)
                .setKeepAlive(true));
        // only methods with a body: the body handler throws on a GET that claims a form content type
        Route withBody = router.route(PREFIX + "*");
        BODY_METHODS.forEach(withBody::method);
        withBody.handler(BodyHandler.create(false).setBodyLimit(config.maxRequestBytes()));
        router.route(PREFIX + "*").handler(ctx -> forward(ctx, client)).failureHandler(this::refused);
    }

    /** A body the body handler refused (413 over the limit, 400 undecodable) or a failure of the proxy itself. */
    private void refused(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (status == 413) {
            reply(ctx, 413, "request body over the proxy's limit of " + config.maxRequestBytes() + " bytes");
        } else if (status >= 400 && status < 500) {
            reply(ctx, status, "request refused: " + (ctx.failure() == null ? "bad request" : ctx.failure().getMessage()));
        } else {
            LOG.errorf(ctx.failure(), "proxying %s %s failed", ctx.request().method(), ctx.request().path());
            reply(ctx, 500, "internal error of the proxy; the ingest-server log has the details");
        }
    }

    private void forward(RoutingContext ctx, HttpClient client) {
        String path = ctx.request().path();
        String rest = path.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        String name = slash < 0 ? rest : rest.substring(0, slash);
        String target = slash < 0 ? "/" : rest.substring(slash);
        Upstreams.Upstream upstream = upstreams.find(name).map(u -> routing.route(u, target)).orElse(null);
        if (upstream == null) {
            reply(ctx, 404, "no service '" + name + "' behind /api; use one of " + upstreams.all().keySet().stream().sorted().toList());
            return;
        }
        String decoded = QueryStringDecoder.decodeComponent(target);
        if (decoded.contains("..") || decoded.contains("//")) {
            reply(ctx, 400, "path '" + target + "' is not allowed");
            return;
        }
        HttpMethod method = ctx.request().method();
        String query = ctx.request().query();
        RequestOptions options = new RequestOptions().setMethod(method).setHost(upstream.base().getHost())
                .setPort(upstream.port()).setSsl(upstream.tls())
                .setURI(upstream.basePath() + target + (query == null ? "" : "?" + query))
                .setIdleTimeout(config.proxyTimeout().toMillis());
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        copyHeaders(ctx.request().headers(), headers);
        String session = ApiGuard.ticket(ctx.request().getHeader(HttpHeaders.COOKIE));
        if (session != null) {
            headers.add(HttpHeaders.COOKIE, ApiGuard.SESSION_COOKIE + "=" + session);
        }
        options.setHeaders(headers);
        client.request(options)
                .compose(request -> ctx.body().available() && ctx.body().length() > 0
                        ? request.send(ctx.body().buffer()) : request.send())
                .onSuccess(response -> {
                    if (failing.remove(upstream.name())) {
                        LOG.infof("%s answers again", upstream.service());
                    }
                    relay(ctx, response);
                })
                .onFailure(failure -> failed(ctx, upstream, failure));
    }

    private static void relay(RoutingContext ctx, HttpClientResponse response) {
        HttpServerResponse out = ctx.response();
        if (out.ended() || out.closed()) {
            return;
        }
        out.setStatusCode(response.statusCode());
        copyHeaders(response.headers(), out.headers());
        String length = response.getHeader(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null && ctx.request().method() != HttpMethod.HEAD) {
            out.putHeader(HttpHeaderNames.CONTENT_LENGTH, length);
        } else {
            out.setChunked(true);
        }
        response.pipeTo(out).onFailure(e -> LOG.debugf("proxied body of %s ended early: %s", ctx.request().path(), e.getMessage()));
    }

    private void failed(RoutingContext ctx, Upstreams.Upstream upstream, Throwable failure) {
        String where = upstream.service() + " at " + upstream.base();
        boolean first = failing.add(upstream.name());
        if (failure instanceof TimeoutException || String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT).contains("timeout")
                && !(failure instanceof ConnectException)) {
            reply(ctx, 504, where + " did not answer within " + config.proxyTimeout().toMillis() + " ms", first);
        } else if (failure instanceof ConnectException) {
            reply(ctx, 502, where + " is unreachable: " + failure.getMessage(), first);
        } else {
            reply(ctx, 502, where + " gave no valid HTTP answer: " + failure, first);
        }
    }

    private static void copyHeaders(MultiMap from, MultiMap to) {
        from.forEach(header -> {
            if (!NOT_FORWARDED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                to.add(header.getKey(), header.getValue());
            }
        });
    }

    private static void reply(RoutingContext ctx, int status, String message) {
        reply(ctx, status, message, true);
    }

    private static void reply(RoutingContext ctx, int status, String message, boolean log) {
        HttpServerResponse out = ctx.response();
        if (out.headWritten()) {
            out.reset(); // an answer had begun: cut it rather than append an error to it
            return;
        }
        if (!log) {
            LOG.debugf("%d %s %s: %s", status, ctx.request().method(), ctx.request().path(), message);
        } else if (status >= 500) {
            LOG.warnf("%d %s %s: %s", status, ctx.request().method(), ctx.request().path(), message);
        } else {
            LOG.infof("%d %s %s: %s", status, ctx.request().method(), ctx.request().path(), message);
        }
        try {
            out.setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(Json.MAPPER.writeValueAsString(new ApiError(status, message)));
        } catch (JsonProcessingException e) {
            out.setStatusCode(status).end();
        }
    }
}
