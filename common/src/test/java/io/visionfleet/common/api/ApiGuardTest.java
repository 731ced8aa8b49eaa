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
 * The guard in front of a real Vert.x router on a loopback port, configured through the real config mapping: what
 * the operator's (fleet) token, the viewer's token, a wrong one and none may do, with reads protected and open.
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
        router.route("/things").handler(ctx -> ctx.response().end("things"));
        router.get("/q/health").handler(ctx -> ctx.response().end("up"));
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        port = server.actualPort();
        return guard;
    }

    private HttpResponse<String> call(String method, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withProtectedReadsTheViewerReadsAndOnlyTheOperatorControls() throws Exception {
        serve(Map.of("fleet.api.viewer-token", VIEWER, "fleet.api.protect-reads", "true"));
        assertThat(call("GET", "/things", OPERATOR).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/things", VIEWER).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/things?token=" + VIEWER, null).statusCode()).as("a browser socket's read").isEqualTo(200);
        assertThat(call("GET", "/things", null).statusCode()).isEqualTo(401);
        assertThat(call("GET", "/things", "guess").statusCode()).isEqualTo(401);
        assertThat(call("GET", "/q/health", null).statusCode()).as("open path").isEqualTo(200);

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
    void socketsAskTheGuardWithEitherToken() throws Exception {
        ApiGuard guard = serve(Map.of("fleet.api.viewer-token", VIEWER, "fleet.api.protect-reads", "true"));
        assertThat(guard.mayRead(null, VIEWER)).isTrue();
        assertThat(guard.mayRead("Bearer " + OPERATOR, null)).isTrue();
        assertThat(guard.mayRead("Bearer guess", null)).isFalse();
        assertThat(guard.mayRead(null, null)).isFalse();
        assertThat(guard.roleOf(VIEWER)).isEqualTo(ApiGuard.Role.VIEWER);
        assertThat(guard.roleOf(OPERATOR)).isEqualTo(ApiGuard.Role.OPERATOR);
    }

    @Test
    void withOpenReadsTheViewerTokenStillControlsNothing() throws Exception {
        ApiGuard guard = serve(Map.of("fleet.api.viewer-token", VIEWER));
        assertThat(call("GET", "/things", null).statusCode()).isEqualTo(200);
        assertThat(call("POST", "/things", VIEWER).statusCode()).isEqualTo(403);
        assertThat(call("POST", "/things", null).statusCode()).isEqualTo(401);
        assertThat(guard.mayRead(null, null)).isTrue();
    }

    @Test
    void withoutAViewerTokenOnlyTheOperatorReadsProtectedPaths() throws Exception {
        ApiGuard guard = serve(Map.of("fleet.api.protect-reads", "true"));
        assertThat(guard.hasViewerToken()).isFalse();
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
