package io.visionfleet.common.api;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The guard and the login in front of a real Vert.x router on a loopback port, configured through the real config
 * mapping: what the operator's (fleet) token, the viewer's token, their session cookies, a wrong one and none may do,
 * with reads protected (the default) and open.
 */
@Tag("quick")
class ApiGuardTest {
    private static final String OPERATOR = "operator-token-for-this-test";
    private static final String VIEWER = "viewer-token-for-this-test";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Vertx vertx = Vertx.vertx();
    private int port;

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static ApiAccessConfig config(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(Map.of("fleet.api.token", OPERATOR,
                "fleet.api.failure-delay.free-failures", "1000")); // the answers, not the slowing, are tested here
        all.putAll(properties);
        return new SmallRyeConfigBuilder().withMapping(ApiAccessConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(all, "test", 100)).build()
                .getConfigMapping(ApiAccessConfig.class);
    }

    /** Serves {@code /things} (GET and POST) and {@code /q/health} behind a guard with {@code properties}. */
    private ApiGuard serve(Map<String, String> properties) throws Exception {
        ApiGuard guard = new ApiGuard(config(properties), "test-service");
        Router router = Router.router(vertx);
        guard.register(router);
        new SessionRoutes(guard).register(router);
        router.route("/things").handler(ctx -> ctx.response().end("things"));
        router.get("/q/health").handler(ctx -> ctx.response().end("up"));
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        port = server.actualPort();
        return guard;
    }

    private HttpResponse<String> call(String method, String path, String token, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The session cookie a login with {@code token} sets, as a {@code Cookie} header's value. */
    private String login(String token) throws Exception {
        HttpResponse<String> response = call("POST", "/auth/session", token);
        assertThat(response.statusCode()).isEqualTo(200);
        String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith(ApiGuard.SESSION_COOKIE + "=").doesNotContain(token);
        assertThat(setCookie.toLowerCase(java.util.Locale.ROOT)).contains("httponly", "samesite=strict", "path=/");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    @Test
    void byDefaultTheViewerReadsAndOnlyTheOperatorControls() throws Exception {
        serve(Map.of("fleet.api.viewer-token", VIEWER));
        assertThat(call("GET", "/things", OPERATOR).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/things", VIEWER).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/things?token=" + VIEWER, null).statusCode()).as("no credential in a URL").isEqualTo(401);
        assertThat(call("GET", "/things", null).statusCode()).isEqualTo(401);
        assertThat(call("GET", "/things", "guess").statusCode()).isEqualTo(401);
        assertThat(call("GET", "/q/health", null).statusCode()).as("open path").isEqualTo(200);
        assertThat(call("GET", "/q/metrics", null).statusCode()).as("open path, no route here").isEqualTo(404);

        assertThat(call("POST", "/things", OPERATOR).statusCode()).isEqualTo(200);
        HttpResponse<String> viewerControl = call("POST", "/things", VIEWER);
        assertThat(viewerControl.statusCode()).isEqualTo(403);
        assertThat(viewerControl.body()).contains("viewer token may watch and read").doesNotContain(VIEWER);
        assertThat(call("POST", "/things?token=" + OPERATOR, null).statusCode()).as("no token in a control URL").isEqualTo(401);
        HttpResponse<String> wrong = call("POST", "/things", "guess");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains(ApiGuard.WRONG);
    }

    @Test
    void aLoginsCookieCarriesItsRoleAndChangesNeedTheCsrfHeader() throws Exception {
        serve(Map.of("fleet.api.viewer-token", VIEWER));
        String viewer = login(VIEWER);
        assertThat(call("GET", "/things", null, "Cookie", viewer).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/auth/session", null, "Cookie", viewer).body()).contains("\"role\":\"viewer\"", "expiresAt");
        assertThat(call("POST", "/things", null, "Cookie", viewer, "X-Requested-With", "test").body())
                .contains("viewer token may watch and read");

        String operator = login(OPERATOR);
        assertThat(call("GET", "/auth/session", null, "Cookie", operator).body()).contains("\"role\":\"operator\"");
        HttpResponse<String> forged = call("POST", "/things", null, "Cookie", operator);
        assertThat(forged.statusCode()).as("a cookie alone, as a page of another origin would send it").isEqualTo(403);
        assertThat(forged.body()).contains(ApiGuard.CSRF_HEADER);
        assertThat(call("POST", "/things", null, "Cookie", operator, "X-Requested-With", "test").statusCode()).isEqualTo(200);
        assertThat(call("GET", "/things", "guess", "Cookie", operator).statusCode()).as("a wrong token is not made good")
                .isEqualTo(401);

        assertThat(call("GET", "/auth/session", null).statusCode()).isEqualTo(401);
        assertThat(call("POST", "/auth/session", null, "Cookie", operator).statusCode()).as("a login needs the token")
                .isEqualTo(401);
        assertThat(call("POST", "/auth/session", "guess").statusCode()).isEqualTo(401);
        HttpResponse<String> logout = call("DELETE", "/auth/session", null);
        assertThat(logout.statusCode()).isEqualTo(204);
        assertThat(logout.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
    }

    @Test
    void aForgedExpiredOrRotatedTicketOpensNothing() throws Exception {
        ApiGuard guard = serve(Map.of("fleet.api.viewer-token", VIEWER));
        String viewer = guard.issue(AccessRole.VIEWER, System.currentTimeMillis() + 60_000);
        String promoted = viewer.replace(".viewer.", ".operator.");
        String expired = guard.issue(AccessRole.OPERATOR, System.currentTimeMillis() - 1);
        String rotated = new ApiGuard(config(Map.of("fleet.api.token", "an-older-token")), "test-service")
                .issue(AccessRole.OPERATOR, System.currentTimeMillis() + 60_000);
        for (String ticket : List.of(promoted, expired, rotated, "v1.operator.99999999999999.AAAA", "garbage")) {
            HttpResponse<String> read = call("GET", "/things", null, "Cookie", ApiGuard.SESSION_COOKIE + "=" + ticket);
            assertThat(read.statusCode()).as(ticket).isEqualTo(401);
            assertThat(read.body()).contains(ApiGuard.STALE);
        }
        assertThat(call("GET", "/things", null, "Cookie", ApiGuard.SESSION_COOKIE + "=" + viewer).statusCode()).isEqualTo(200);
    }

    @Test
    void socketsAskTheGuardWithEitherTokenOrTheCookie() throws Exception {
        ApiGuard guard = serve(Map.of("fleet.api.viewer-token", VIEWER));
        long expires = System.currentTimeMillis() + 60_000;
        String ticket = guard.issue(AccessRole.VIEWER, expires);
        assertThat(guard.readUntil(null, "other=1; " + ApiGuard.SESSION_COOKIE + "=" + ticket)).as("until the session ends")
                .hasValue(expires);
        assertThat(guard.readUntil("Bearer " + OPERATOR, null)).hasValue(Long.MAX_VALUE);
        assertThat(guard.readUntil("Bearer guess", null)).isEmpty();
        assertThat(guard.readUntil(null, null)).isEmpty();
        assertThat(guard.roleOf(VIEWER)).isEqualTo(AccessRole.VIEWER);
        assertThat(guard.roleOf(OPERATOR)).isEqualTo(AccessRole.OPERATOR);
        assertThat(guard.readAuthorization()).as("its own reads of the others: the least that reads").contains("Bearer " + VIEWER);
    }

    @Test
    void withOpenReadsTheViewerTokenStillControlsNothing() throws Exception {
        ApiGuard guard = serve(Map.of("fleet.api.viewer-token", VIEWER, "fleet.api.protect-reads", "false"));
        assertThat(call("GET", "/things", null).statusCode()).isEqualTo(200);
        assertThat(call("POST", "/things", VIEWER).statusCode()).isEqualTo(403);
        assertThat(call("POST", "/things", null).statusCode()).isEqualTo(401);
        assertThat(guard.readUntil(null, null)).hasValue(Long.MAX_VALUE);
    }

    @Test
    void withoutAViewerTokenOnlyTheOperatorReadsProtectedPaths() throws Exception {
        ApiGuard guard = serve(Map.of());
        assertThat(guard.hasViewerToken()).isFalse();
        assertThat(guard.readAuthorization()).contains("Bearer " + OPERATOR);
        assertThat(call("GET", "/things", OPERATOR).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/things", VIEWER).statusCode()).isEqualTo(401);
    }

    @Test
    void aPlaceholderFleetTokenStopsTheServiceNamingTheSettingNeverTheValue() {
        for (String placeholder : List.of("change-me", " Change-Me-token ")) {
            assertThatThrownBy(() -> new ApiGuard(config(Map.of("fleet.api.token", placeholder)), "ptz-service"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("fleet.api.token (FLEET_API_TOKEN) is a placeholder")
                    .hasMessageNotContaining(placeholder.trim());
        }
        assertThat(new ApiGuard(config(Map.of()), "ptz-service").state()).isEqualTo(ApiGuard.State.PROTECTED);
        assertThat(new ApiGuard(config(Map.of("fleet.api.token", "")), "ptz-service").state()).isEqualTo(ApiGuard.State.NO_TOKEN);
        assertThat(Placeholder.is("exchange-me")).isFalse();
    }

    @Test
    void aViewerTokenThatIsTheFleetTokenOrAPlaceholderStopsTheService() {
        assertThatThrownBy(() -> new ApiGuard(config(Map.of("fleet.api.viewer-token", OPERATOR)), "test-service"))
                .hasMessageContaining("fleet.api.viewer-token equals fleet.api.token").hasMessageNotContaining(OPERATOR);
        assertThatThrownBy(() -> new ApiGuard(config(Map.of("fleet.api.viewer-token", Placeholder.PREFIX + "-viewer")), "test-service"))
                .hasMessageContaining("fleet.api.viewer-token");
    }
}
