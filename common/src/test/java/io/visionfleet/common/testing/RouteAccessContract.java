package io.visionfleet.common.testing;

import io.quarkus.arc.Arc;
import io.quarkus.test.common.http.TestHTTPResource;
import io.visionfleet.common.api.AccessRole;
import io.visionfleet.common.api.QuarkusRoutes;
import io.visionfleet.common.testing.RouteInventory.Kind;
import io.visionfleet.common.testing.RouteInventory.Row;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing open by accident (docs/security.md, issue 34): every HTTP route and WebSocket endpoint the running service
 * serves, as {@link RouteInventory} enumerates them from Quarkus and Vert.x, must be declared {@code PUBLIC},
 * {@code VIEWER} or {@code OPERATOR} ({@link io.visionfleet.common.api.Access}), no declaration may be stale, and each
 * one answers as its role says, over real HTTP with reads protected ({@link RouteAccessProfile}): a public route is
 * not refused without a credential; a viewer's is refused 401 without one and let through with the viewer token; an
 * operator's is refused 401 without one, 403 with the viewer token, and let through with the fleet token. WebSocket
 * endpoints are tried with a real handshake. Path parameters get a real-looking value ({@link #sample}); the service
 * may well answer 404 or 400 for it, since what is checked is the guard's answer. "Refused" means the guard's answers:
 * 401 with its {@code Bearer} challenge, 403, 429 or 503; a route may still answer 401 of its own (a publisher's
 * {@code Basic} challenge, the login's "not logged in").
 *
 * <p>Extend it in the service's {@code @QuarkusTest} class with {@code @TestProfile(RouteAccessProfile.class)}; pass
 * the classes that declare routes no bean of the service registers to the constructor. The table of what it found is
 * printed (the test's output file) for docs/security.md.
 */
public abstract class RouteAccessContract {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern PARAMETER = Pattern.compile("\\{([^}/]+)}|:([A-Za-z_][A-Za-z0-9_]*)");

    @TestHTTPResource("/")
    URI base;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();
    private final List<Class<?>> holders;

    /**
     * {@code holders}: classes holding declarations of routes that no bean of this service registers (its static
     * files, an extension's routes under {@code /q}), beside common's {@link QuarkusRoutes}.
     */
    protected RouteAccessContract(Class<?>... holders) {
        this.holders = Stream.concat(Stream.of(QuarkusRoutes.class), Arrays.stream(holders)).toList();
    }

    /** A real-looking value for a path parameter, or for what follows a prefix route ({@code *}). */
    protected String sample(String parameter) {
        return switch (parameter) {
            case "n", "objectId", "start" -> "1";
            default -> "cam1";
        };
    }

    @Test
    void everyRouteIsDeclared() {
        RouteInventory inventory = inventory();
        System.out.println(table(inventory));
        inventory.notes.forEach(note -> System.out.println("note: " + note));
        assertThat(inventory.rows).as("routes found").isNotEmpty();
        assertThat(inventory.problems).as("routes of %s and their declarations (@Access)", service()).isEmpty();
    }

    @Test
    void everyRouteAnswersAsItsRoleSays() {
        List<String> mismatches = new ArrayList<>();
        int requests = 0;
        for (Row row : inventory().rows) {
            if (row.declaration() == null) {
                continue; // everyRouteIsDeclared names it
            }
            AccessRole role = row.declaration().role();
            Map<Credential, Answer> answers = new LinkedHashMap<>();
            answers.put(Credential.NONE, send(row, Credential.NONE));
            if (role != AccessRole.PUBLIC) {
                answers.put(Credential.VIEWER, send(row, Credential.VIEWER));
                answers.put(Credential.OPERATOR, send(row, Credential.OPERATOR));
            }
            requests += answers.size();
            System.out.println(row.method() + " " + row.endpoint().path() + " " + role + ": " + answers);
            String wrong = switch (role) {
                case PUBLIC -> answers.get(Credential.NONE).refused() ? "refused without a credential" : null;
                case VIEWER -> !answers.get(Credential.NONE).challenged() ? "not refused 401 without a credential"
                        : answers.get(Credential.VIEWER).refused() ? "refused the viewer token"
                        : answers.get(Credential.OPERATOR).refused() ? "refused the fleet token" : null;
                case OPERATOR -> !answers.get(Credential.NONE).challenged() ? "not refused 401 without a credential"
                        : answers.get(Credential.VIEWER).status() != 403 ? "not refused 403 with the viewer token"
                        : answers.get(Credential.OPERATOR).refused() ? "refused the fleet token" : null;
            };
            if (wrong != null) {
                mismatches.add(row + " declared " + role + " by " + row.declaration().where() + ": " + wrong
                        + "; answers " + answers);
            }
        }
        System.out.println(service() + ": " + requests + " requests");
        assertThat(mismatches).as("routes of %s answering otherwise than declared", service()).isEmpty();
    }

    private RouteInventory inventory() {
        RouterCapture capture = Arc.container().instance(RouterCapture.class).get();
        assertThat(capture.router()).as("the service's router (RouterCapture, common's test-jar)").isNotNull();
        List<Class<?>> beans = Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE).stream()
                .map(Bean::getBeanClass).filter(c -> c != RouterCapture.class).distinct()
                .collect(Collectors.toList());
        assertThat(beans).as("beans of the service from common's test-jar, a bean archive only for RouterCapture: an "
                + "observer, producer, resource or scoped class in common's tests joins every service's application")
                .noneMatch(c -> c.getProtectionDomain().getCodeSource() != null && c.getProtectionDomain().getCodeSource()
                        .equals(RouterCapture.class.getProtectionDomain().getCodeSource()));
        String restRoot = ConfigProvider.getConfig().getOptionalValue("quarkus.rest.path", String.class).orElse("/");
        return RouteInventory.of(capture.router(), beans, holders, restRoot);
    }

    private static String service() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.application.name", String.class).orElse("service");
    }

    /** The table for docs/security.md: one line per path and role, its methods together. */
    private static String table(RouteInventory inventory) {
        Map<String, Set<String>> methods = new LinkedHashMap<>();
        for (Row row : inventory.rows) {
            String role = row.declaration() == null ? "UNDECLARED" : row.declaration().role().name();
            String kind = row.endpoint().kind() == Kind.WEBSOCKET ? "WebSocket " : "";
            methods.computeIfAbsent(String.join("|", service(), row.endpoint().path(), role, kind), k -> new LinkedHashSet<>())
                    .add(row.method());
        }
        StringBuilder table = new StringBuilder("| service | method | path | role |\n| --- | --- | --- | --- |\n");
        methods.forEach((key, verbs) -> {
            String[] parts = key.split("\\|", -1);
            String verb = String.join(", ", verbs);
            table.append("| ").append(parts[0]).append(" | ").append(parts[3]).append(verb).append(" | `")
                    .append(parts[1]).append("` | ").append(parts[2]).append(" |\n");
        });
        return table.toString();
    }

    private enum Credential {
        NONE(null), VIEWER(FleetToken.VIEWER), OPERATOR(FleetToken.TEST);

        final String token;

        Credential(String token) {
            this.token = token;
        }
    }

    /** A status and the challenge that came with it. */
    private record Answer(int status, String challenge) {
        /** The guard's 401: it alone challenges with {@code Bearer}. */
        boolean challenged() {
            return status == 401 && "Bearer".equals(challenge);
        }

        /** One of the guard's refusals. */
        boolean refused() {
            return challenged() || status == 403 || status == 429 || status == 503;
        }

        @Override
        public String toString() {
            return status + (challenge == null ? "" : " (" + challenge + ")");
        }
    }

    private Answer send(Row row, Credential credential) {
        URI uri = base.resolve(concrete(row.endpoint().path()));
        try {
            return row.endpoint().kind() == Kind.WEBSOCKET ? handshake(uri, credential) : request(row.method(), uri, credential);
        } catch (IOException | ExecutionException | TimeoutException e) {
            throw new AssertionError(row + " with " + credential + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * One request; the body is not read (an overlay stream would never end). Changes carry {@code {}}: a validation
     * error is as good an answer as any, since what counts is that the guard let it through.
     */
    private Answer request(String method, URI uri, Credential credential) throws IOException, InterruptedException {
        boolean body = Set.of("POST", "PUT", "PATCH").contains(method);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .method(method, body ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
        if (body) {
            request.header("Content-Type", "application/json");
        }
        if (credential.token != null) {
            request.header("Authorization", "Bearer " + credential.token);
        }
        HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        response.body().close();
        return new Answer(response.statusCode(), response.headers().firstValue("WWW-Authenticate").orElse(null));
    }

    /** A real WebSocket handshake: 101 when upgraded (then closed at once), else the refusal's status. */
    private Answer handshake(URI uri, Credential credential)
            throws InterruptedException, ExecutionException, TimeoutException {
        URI ws = URI.create(uri.toString().replaceFirst("^http", "ws"));
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(TIMEOUT);
        if (credential.token != null) {
            builder.header("Authorization", "Bearer " + credential.token);
        }
        try {
            WebSocket socket = builder.buildAsync(ws, new WebSocket.Listener() {
            }).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            socket.abort();
            return new Answer(101, null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                HttpResponse<?> response = refused.getResponse();
                return new Answer(response.statusCode(), response.headers().firstValue("WWW-Authenticate").orElse(null));
            }
            throw e;
        }
    }

    /** The path with its parameters and a trailing prefix {@code *} filled in with {@link #sample}s. */
    private String concrete(String path) {
        if (path.endsWith("*")) {
            path = path.substring(0, path.length() - 1) + (path.endsWith("/*") ? sample("*") : "");
        }
        Matcher parameter = PARAMETER.matcher(path);
        StringBuilder concrete = new StringBuilder();
        while (parameter.find()) {
            String name = parameter.group(1) != null ? parameter.group(1) : parameter.group(2);
            parameter.appendReplacement(concrete, Matcher.quoteReplacement(sample(name)));
        }
        parameter.appendTail(concrete);
        return concrete.substring(1); // relative to base, which ends with "/"
    }
}
