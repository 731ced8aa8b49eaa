package io.visionfleet.common.api;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Locale;

/**
 * {@code /auth/session}: a browser's login, so that the page keeps no token and no URL carries one. {@code POST} with
 * the viewer's or the fleet token as {@code Authorization: Bearer} (checked by {@link ApiGuard}, failures slowed like
 * any other) sets the {@code fleet_session} cookie, HttpOnly and SameSite=Strict, holding a {@link SessionTicket} of
 * that role; {@code GET} says which role the caller's credential carries (401 without one); {@code DELETE} clears
 * the cookie. Every service answers it, and accepts the cookie of any of them.
 */
@ApplicationScoped
@Access(value = AccessRole.PUBLIC, path = ApiGuard.SESSION_PATH, methods = {"GET", "POST", "DELETE"})
public class SessionRoutes {
    private final ApiGuard guard;

    public SessionRoutes(ApiGuard guard) {
        this.guard = guard;
    }

    void register(@Observes Router router) {
        router.get(ApiGuard.SESSION_PATH).handler(this::who);
        router.post(ApiGuard.SESSION_PATH).handler(this::login);
        router.delete(ApiGuard.SESSION_PATH).handler(this::logout);
    }

    private void login(RoutingContext ctx) {
        if (guard.state() != ApiGuard.State.PROTECTED) { // insecure on purpose: everyone is the operator, nothing to prove
            answer(ctx, AccessRole.OPERATOR, 0);
            return;
        }
        ApiGuard.Credential credential = guard.credential(ctx.request().getHeader(HttpHeaders.AUTHORIZATION), null);
        long expiresAt = System.currentTimeMillis() + guard.sessionLifetime().toMillis();
        ctx.response().addCookie(cookie(ctx, guard.issue(credential.role(), expiresAt))
                .setMaxAge(guard.sessionLifetime().toSeconds()));
        answer(ctx, credential.role(), expiresAt);
    }

    private void who(RoutingContext ctx) {
        if (guard.state() == ApiGuard.State.INSECURE) {
            answer(ctx, AccessRole.OPERATOR, 0);
            return;
        }
        ApiGuard.Credential credential = guard.credential(ctx.request().getHeader(HttpHeaders.AUTHORIZATION),
                ctx.request().getHeader(HttpHeaders.COOKIE));
        if (credential == null) {
            ApiError.send(ctx.response(), 401, "not logged in: POST /auth/session with the viewer or fleet token as "
                    + "'Authorization: Bearer <token>'");
        } else {
            answer(ctx, credential.role(), credential.expiresAt());
        }
    }

    private void logout(RoutingContext ctx) {
        ctx.response().addCookie(cookie(ctx, "").setMaxAge(0)).setStatusCode(204).end();
    }

    private static Cookie cookie(RoutingContext ctx, String value) {
        return Cookie.cookie(ApiGuard.SESSION_COOKIE, value).setPath("/").setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT).setSecure(ctx.request().isSSL());
    }

    private static void answer(RoutingContext ctx, AccessRole role, long expiresAt) {
        JsonObject body = new JsonObject().put("role", role.name().toLowerCase(Locale.ROOT));
        if (expiresAt > 0) {
            body.put("expiresAt", expiresAt);
        }
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(body.encode());
    }
}
