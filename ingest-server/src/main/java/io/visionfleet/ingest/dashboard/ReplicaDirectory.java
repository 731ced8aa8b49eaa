package io.visionfleet.ingest.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.scheduler.Scheduled;
import io.visionfleet.common.api.ApiGuard;
import io.visionfleet.common.bus.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Every replica of every service behind the dashboard's proxies, with the streams each owns. A scaled service is one
 * host name with several addresses (compose's and Kubernetes' headless DNS return one per replica): each round
 * resolves the name and asks every address for {@code GET /ownership} and {@code GET /streams}. A service without
 * stream ownership answers 404 there and is one replica per address. An address that does not answer is left out
 * until it does again. Those are reads, private like any other: the rounds send this service's own read credential
 * ({@link ApiGuard#readAuthorization()}), never a caller's.
 *
 * <p>Rounds run every {@code fleet.dashboard.replica-refresh} while the dashboard is in use (a lookup within the last
 * minute), so an idle ingest-server does not poll the services.
 */
@ApplicationScoped
public class ReplicaDirectory {
    private static final Logger LOG = Logger.getLogger(ReplicaDirectory.class);
    private static final Duration IDLE_AFTER = Duration.ofMinutes(1);
    private static final String REFRESH = "fleet.dashboard.replica-refresh";
    private static final String DEFAULT_REFRESH = "2s";

    /** Looks a host name up: every address it has, in the resolver's order. */
    @FunctionalInterface
    interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    /**
     * One replica as it answered in the last round.
     *
     * @param replica its ownership replica id, or its address where ownership is off
     * @param base    URL of this replica alone (its address and the service's port and base path)
     * @param owned   streams it holds the lease of, empty where ownership is off
     * @param waiting streams it knows that another replica owns
     * @param streams its {@code GET /streams} answer (per-stream states), null when it gave none
     */
    public record Replica(String replica, URI base, List<String> owned, List<String> waiting, JsonNode streams) {
    }

    private final Upstreams upstreams;
    private final Duration refresh;
    private final Resolver resolver;
    private final HttpClient http;
    private final Optional<String> authorization;
    private volatile Map<String, List<Replica>> replicas = Map.of();
    private volatile long lastUsedNanos = System.nanoTime();
    private volatile long roundNanos = System.nanoTime() - Duration.ofDays(1).toNanos();

    @Inject
    public ReplicaDirectory(Upstreams upstreams, ApiGuard guard,
                            @ConfigProperty(name = REFRESH, defaultValue = DEFAULT_REFRESH) Duration refresh) {
        this(upstreams, refresh, host -> Arrays.asList(InetAddress.getAllByName(host)), guard.readAuthorization());
    }

    ReplicaDirectory(Upstreams upstreams, Duration refresh, Resolver resolver, Optional<String> authorization) {
        this.upstreams = upstreams;
        this.refresh = refresh;
        this.resolver = resolver;
        this.authorization = authorization;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    }

    /** A round every refresh period from start, while the dashboard is in use; a slow round skips the next. */
    @Scheduled(identity = "replica-directory", every = "${" + REFRESH + ":" + DEFAULT_REFRESH + "}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void round() {
        if (System.nanoTime() - lastUsedNanos < IDLE_AFTER.toNanos()) {
            refreshNow();
        }
    }

    /** The replicas of each service by the dashboard's name for it ({@code processor}, ...), as of the last round. */
    public Map<String, List<Replica>> replicas() {
        lastUsedNanos = System.nanoTime();
        return replicas;
    }

    /**
     * The base URL of the replica of service {@code name} that owns {@code stream}, if one does by a recent round
     * (after an idle spell the last round is too old to trust: the caller then uses the service's own URL).
     */
    public Optional<URI> owner(String name, String stream) {
        Map<String, List<Replica>> now = replicas();
        if (System.nanoTime() - roundNanos > 3 * refresh.toNanos()) {
            return Optional.empty();
        }
        return now.getOrDefault(name, List.of()).stream()
                .filter(r -> r.owned().contains(stream)).map(Replica::base).findFirst();
    }

    /** One round: every service's replicas now. Blocks for at most about two request timeouts. */
    void refreshNow() {
        Map<String, CompletableFuture<List<Replica>>> asked = new LinkedHashMap<>();
        upstreams.all().values().stream().sorted(Comparator.comparing(Upstreams.Upstream::name))
                .forEach(u -> asked.put(u.name(), ask(u)));
        Map<String, List<Replica>> next = new LinkedHashMap<>();
        asked.forEach((name, answer) -> next.put(name, answer.join()));
        replicas = Map.copyOf(next);
        roundNanos = System.nanoTime();
    }

    private CompletableFuture<List<Replica>> ask(Upstreams.Upstream upstream) {
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(upstream.base().getHost());
        } catch (UnknownHostException e) {
            LOG.debugf("%s: %s does not resolve", upstream.service(), upstream.base().getHost());
            return CompletableFuture.completedFuture(List.of());
        }
        List<CompletableFuture<Optional<Replica>>> each = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (InetAddress address : addresses) {
            if (seen.add(address.getHostAddress())) {
                each.add(replica(upstream, address));
            }
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<Replica> found = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (CompletableFuture<Optional<Replica>> f : each) {
                // localhost may resolve to 127.0.0.1 and ::1: one replica, whose id shows up twice
                f.join().filter(r -> ids.add(r.replica())).ifPresent(found::add);
            }
            found.sort(Comparator.comparing(Replica::replica));
            return List.copyOf(found);
        });
    }

    private CompletableFuture<Optional<Replica>> replica(Upstreams.Upstream upstream, InetAddress address) {
        URI base;
        try {
            base = new URI(upstream.base().getScheme(), null, address.getHostAddress(), upstream.port(),
                    upstream.basePath().isEmpty() ? null : upstream.basePath(), null, null);
        } catch (URISyntaxException e) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        CompletableFuture<HttpResponse<String>> ownership = get(base, "/ownership");
        CompletableFuture<HttpResponse<String>> streams = get(base, "/streams");
        return ownership.thenCombine(streams, (o, s) -> {
            JsonNode states = s != null && s.statusCode() == 200 ? parse(s.body()) : null;
            if (o != null && o.statusCode() == 200) {
                JsonNode view = parse(o.body());
                if (view != null && view.hasNonNull("replica")) {
                    return Optional.of(new Replica(view.get("replica").asText(), base, texts(view.get("owned")),
                            texts(view.get("waiting")), states));
                }
            }
            if (o == null && s == null) {
                return Optional.empty(); // not answering: not a replica now
            }
            return Optional.of(new Replica(address.getHostAddress(), base, List.of(), List.of(), states));
        });
    }

    private CompletableFuture<HttpResponse<String>> get(URI base, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(2)).GET();
        authorization.ifPresent(a -> request.header("Authorization", a));
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).handle((r, e) -> e == null ? r : null);
    }

    private static JsonNode parse(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(n -> out.add(n.asText()));
        }
        return List.copyOf(out);
    }
}
