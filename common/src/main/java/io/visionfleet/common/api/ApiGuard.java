package io.visionfleet.common.api;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The access check in front of every HTTP route of a service (REST resources, Vert.x routes, WebSocket upgrades, the
 * dashboard's proxy): the one policy of docs/security.md. A state-changing request needs the operator's credential (the
 * fleet token, {@code fleet.api.token}); a read needs it or the viewer's ({@code fleet.api.viewer-token}) unless
 * {@code fleet.api.protect-reads} is off or the path is one of {@code fleet.api.open-paths}. A credential is
 * {@code Authorization: Bearer <token>} or the {@code fleet_session} cookie that a login ({@link SessionRoutes}) set,
 * never a URL parameter (URLs end up in logs). The viewer's credential on a state-changing request is refused with 403:
 * a right credential without that right, not a guess, so it is not slowed down; so is a state-changing request
 * carried by the cookie alone without {@code X-Requested-With}, which a page of another origin cannot add (other ports
 * of the same host are the same site, so SameSite alone does not stop them). Without a configured token, what would
 * need it is answered 503 unless {@code fleet.api.insecure} is set. Refusals carry the fleet's {@link ApiError} body;
 * tokens are compared in constant time and never logged or echoed. Repeated failures from one client address are
 * slowed down ({@link FailedAttempts}), never locked out.
 */
@ApplicationScoped
public class ApiGuard {
    private static final Logger LOG = Logger.getLogger(ApiGuard.class);
    /** Before {@link BodySizeLimit} (-3) and Quarkus's own body check (-2): a stranger learns no limits. */
    private static final int FIRST = -4;
    private static final String BEARER = "Bearer ";
    private static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    /** The login: its POST takes a token in the header, its GET and DELETE answer for themselves. */
    static final String SESSION_PATH = "/auth/session";
    public static final String SESSION_COOKIE = "fleet_session";
    static final String CSRF_HEADER = "X-Requested-With";
    static final String MISSING = "missing credential: send the viewer or fleet token as 'Authorization: Bearer <token>', "
            + "or log in (POST /auth/session) for a session cookie (docs/security.md)";
    static final String WRONG = "wrong token";
    public static final String STALE = "session expired or no longer valid: log in again";
    static final String VIEWER_ONLY = "the viewer token may watch and read, not change anything: this needs the fleet "
            + "(operator) token";
    static final String NO_CSRF_HEADER = "a change made with the session cookie needs the header 'X-Requested-With' "
            + "(sent by the dashboard; a page of another origin cannot send it)";

    /** Who a request's credential says its bearer is; {@code cookie} when only the session cookie said so. */
    record Credential(AccessRole role, boolean cookie, long expiresAt) {
    }

    private final ApiAccessConfig config;
    private final String service;
    private final byte[] token;
    private final byte[] viewerToken;
    private final FailedAttempts failures;

    public ApiGuard(ApiAccessConfig config,
                    @ConfigProperty(name = "quarkus.application.name", defaultValue = "service") String service) {
        this.config = config;
        this.service = service;
        config.token().map(String::trim).ifPresent(t -> Placeholder.refuse("fleet.api.token (FLEET_API_TOKEN)", t));
        config.viewerToken().map(String::trim).ifPresent(t -> Placeholder.refuse("fleet.api.viewer-token (FLEET_API_VIEWER_TOKEN)", t));
        this.token = bytes(config.token());
        this.viewerToken = bytes(config.viewerToken());
        if (token != null && viewerToken != null && MessageDigest.isEqual(token, viewerToken)) {
            throw new IllegalStateException("fleet.api.viewer-token equals fleet.api.token: a viewer would be an operator; "
                    + "give the viewer a token of its own (docs/security.md)");
        }
        this.failures = new FailedAttempts(config.failureDelay(), System::currentTimeMillis);
    }

    void register(@Observes Router router) {
        router.route().order(FIRST).handler(this::check);
    }

    void announce(@Observes StartupEvent event) {
        if (token != null) {
            LOG.infof("%s: control actions need the fleet token; reads are %s", service, !config.protectReads()
                    ? "open (fleet.api.protect-reads=false)"
                    : "protected (" + (viewerToken != null ? "the viewer or the fleet token" : "the fleet token")
                    + "; open: " + config.openPaths() + ")");
        } else if (config.insecure()) {
            LOG.warnf("%s: INSECURE: fleet.api.insecure=true and no fleet.api.token: anyone who reaches this port may "
                    + "watch and use its control API; set FLEET_API_TOKEN outside a test", service);
        } else {
            LOG.warnf("%s: no fleet.api.token is configured: the API is refused (503) and readiness is down; "
                    + "set FLEET_API_TOKEN, or fleet.api.insecure=true (FLEET_API_INSECURE) to run without", service);
        }
    }

    /** Whether this service has a token, runs insecure on purpose, or refuses its control API. */
    public State state() {
        return token != null ? State.PROTECTED : config.insecure() ? State.INSECURE : State.NO_TOKEN;
    }

    public enum State { PROTECTED, INSECURE, NO_TOKEN }

    /**
     * Until when (epoch ms) a read with these request headers (either may be null) may go on: empty when it may not,
     * {@link Long#MAX_VALUE} without an end (reads open, a token), a login's expiry for its cookie. For checks made
     * outside the router, such as a WebSocket's open, which must also end when the session does; the router's check
     * has run before in any case.
     */
    public OptionalLong readUntil(String authorization, String cookies) {
        if (!config.protectReads() || token == null && config.insecure()) {
            return OptionalLong.of(Long.MAX_VALUE);
        }
        Credential credential = credential(authorization, cookies);
        return credential == null ? OptionalLong.empty()
                : OptionalLong.of(credential.cookie() ? credential.expiresAt() : Long.MAX_VALUE);
    }

    public boolean protectsReads() {
        return config.protectReads();
    }

    /**
     * {@code Authorization} for this service's own reads from the others (the dashboard's replica rounds): the viewer's
     * token where there is one, the least that reads, else the fleet token; empty without either.
     */
    public Optional<String> readAuthorization() {
        return config.viewerToken().or(config::token).map(String::trim).filter(t -> !t.isEmpty()).map(t -> BEARER + t);
    }

    /** Whether a viewer token is configured. */
    public boolean hasViewerToken() {
        return viewerToken != null;
    }

    void check(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String path = ctx.normalizedPath();
        boolean read = READS.contains(request.method());
        boolean login = SESSION_PATH.equals(path);
        if (login && request.method() != HttpMethod.POST
                || read && (!config.protectReads() || open(path, config.openPaths()))) {
            ctx.next();
            return;
        }
        if (token == null) {
            if (config.insecure()) {
                ctx.next();
            } else {
                ApiError.send(ctx.response(), 503, service + " has no fleet token configured (fleet.api.token, "
                        + "FLEET_API_TOKEN), so its API is disabled");
            }
            return;
        }
        String authorization = request.getHeader(HttpHeaderNames.AUTHORIZATION);
        String cookies = login ? null : request.getHeader(HttpHeaderNames.COOKIE); // a login needs the token itself
        Credential credential = credential(authorization, cookies);
        String client = client(request);
        if (credential == null) {
            refuse(ctx, client, bearer(authorization) != null ? WRONG : ticket(cookies) != null ? STALE : MISSING);
            return;
        }
        failures.succeeded(client);
        if (credential.role() == AccessRole.VIEWER && !read && !login) {
            ApiError.send(ctx.response(), 403, VIEWER_ONLY);
        } else if (credential.cookie() && !read && isBlank(request.getHeader(CSRF_HEADER))) {
            ApiError.send(ctx.response(), 403, NO_CSRF_HEADER);
        } else {
            ctx.next();
        }
    }

    /** A session ticket for the holder of {@code role}'s token, good for {@code fleet.api.session-lifetime}. */
    String issue(AccessRole role, long expiresAt) {
        return SessionTicket.issue(role, expiresAt, role == AccessRole.OPERATOR ? token : viewerToken);
    }

    Duration sessionLifetime() {
        return config.sessionLifetime();
    }

    /**
     * Who the bearer token or, without one, the session cookie in these headers belongs to; null for nobody. A wrong
     * bearer token is not made good by a cookie.
     */
    Credential credential(String authorization, String cookies) {
        if (token == null) {
            return null;
        }
        String presented = bearer(authorization);
        if (presented != null) {
            AccessRole role = roleOf(presented);
            return role == null ? null : new Credential(role, false, 0);
        }
        String ticket = ticket(cookies);
        if (ticket == null) {
            return null;
        }
        SessionTicket.Claims claims = SessionTicket.verify(ticket, System.currentTimeMillis(), token, viewerToken);
        return claims == null ? null : new Credential(claims.role(), true, claims.expiresAt());
    }

    private void refuse(RoutingContext ctx, String client, String reason) {
        long delay = failures.failed(client);
        if (delay < 0) {
            ApiError.send(ctx.response(), 429, "too many failed token checks from " + client + " are waiting; retry later");
        } else if (delay == 0) {
            unauthorized(ctx, reason);
        } else {
            ctx.vertx().setTimer(delay, id -> {
                failures.answered(client);
                if (!ctx.response().ended() && !ctx.response().closed()) {
                    unauthorized(ctx, reason);
                }
            });
        }
    }

    private static void unauthorized(RoutingContext ctx, String reason) {
        ctx.response().putHeader(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
        ApiError.send(ctx.response(), 401, reason);
    }

    /** The role {@code presented} carries, null for none; both tokens are always compared, in constant time. */
    AccessRole roleOf(String presented) {
        if (presented == null || token == null) {
            return null;
        }
        byte[] given = presented.getBytes(StandardCharsets.UTF_8);
        boolean operator = MessageDigest.isEqual(token, given);
        boolean viewer = viewerToken != null && MessageDigest.isEqual(viewerToken, given);
        return operator ? AccessRole.OPERATOR : viewer ? AccessRole.VIEWER : null;
    }

    private static byte[] bytes(Optional<String> secret) {
        return secret.map(String::trim).filter(t -> !t.isEmpty()).map(t -> t.getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    /** The token in {@code Authorization: Bearer ...}, or null. */
    static String bearer(String authorization) {
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String given = authorization.substring(BEARER.length()).trim();
            return given.isEmpty() ? null : given;
        }
        return null;
    }

    /** The session cookie's value in a {@code Cookie} header, or null. */
    public static String ticket(String cookies) {
        if (cookies == null || !cookies.contains(SESSION_COOKIE)) {
            return null;
        }
        for (Cookie cookie : ServerCookieDecoder.LAX.decode(cookies)) {
            if (SESSION_COOKIE.equals(cookie.name()) && !cookie.value().isEmpty()) {
                return cookie.value();
            }
        }
        return null;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    /** Whether {@code path} is one of {@code open}: equal to an entry, below it, or under an entry's prefix ending in {@code *}. */
    static boolean open(String path, List<String> open) {
        if (path == null) {
            return false;
        }
        for (String entry : open) {
            String e = entry.trim();
            if (e.endsWith("*") ? path.startsWith(e.substring(0, e.length() - 1))
                    : path.equals(e) || (e.length() > 1 && path.startsWith(e.endsWith("/") ? e : e + "/"))) {
                return true;
            }
        }
        return false;
    }

    private static String client(HttpServerRequest request) {
        SocketAddress remote = request.remoteAddress();
        return remote == null || remote.host() == null ? "unknown" : remote.host();
    }
}
