package io.visionfleet.common.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Sends seeded hostile requests ({@link HostileInputs}) to a running service's endpoints and checks the rule of
 * docs/reliability.md: every answer is a 4xx with a JSON {@code message}, or a status the endpoint documents, never
 * a 5xx or a hang; after every batch the service answers its health requests with 200 within {@link #HEALTHY_WITHIN};
 * heap after GC is measured before and after (the service must run in this JVM, as under {@code @QuarkusTest}, for
 * that figure to mean anything). Requests go out {@link #PARALLEL} at a time over keep-alive connections.
 * The seed is {@code -Dfuzz.seed}, or fresh each run; the report prints it.
 */
public final class RestFuzzer {
    private static final int PARALLEL = 8;
    private static final int BATCH = 250;
    private static final Duration HANG = Duration.ofSeconds(20);
    private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(5);
    /** Error bodies are small; a body past this is not read (streams such as MJPEG never end). */
    private static final int MAX_READ = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String service;
    private final URI base;
    private final List<FuzzEndpoint> endpoints = new ArrayList<>();
    private final List<String> healthy = new ArrayList<>();
    private Map<String, String> credentials = Map.of();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(HEALTHY_WITHIN).build();

    private RestFuzzer(String service, URI base) {
        this.service = service;
        this.base = base;
    }

    /** A fuzzer of {@code service} at {@code base} (no trailing slash needed). */
    public static RestFuzzer against(String service, URI base) {
        String uri = base.toString();
        return new RestFuzzer(service, URI.create(uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri));
    }

    public RestFuzzer endpoints(FuzzEndpoint... attacked) {
        endpoints.addAll(List.of(attacked));
        return this;
    }

    /** Headers of a permitted caller; the fuzzer sends them right, wrong or not at all. */
    public RestFuzzer credentials(Map<String, String> headers) {
        credentials = Map.copyOf(headers);
        return this;
    }

    /** Paths that must answer GET with 200 after every batch. */
    public RestFuzzer healthy(String... paths) {
        healthy.addAll(List.of(paths));
        return this;
    }

    /** Sends {@code requests} hostile requests, spread evenly over the endpoints, and reports what came back. */
    public FuzzReport attack(int requests) throws InterruptedException {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        FuzzReport report = new FuzzReport(service, seed);
        HostileInputs inputs = new HostileInputs(seed, credentials);
        long heapBefore = heapAfterGc();
        long start = System.nanoTime();
        ExecutorService senders = Executors.newFixedThreadPool(PARALLEL);
        try {
            for (int sent = 0; sent < requests; sent += BATCH) {
                List<Future<?>> batch = new ArrayList<>();
                for (int i = sent; i < Math.min(requests, sent + BATCH); i++) {
                    HostileInputs.Request request = inputs.next(endpoints.get(i % endpoints.size()));
                    batch.add(senders.submit(() -> send(request, report)));
                }
                for (Future<?> f : batch) {
                    try {
                        f.get();
                    } catch (ExecutionException e) {
                        throw new IllegalStateException("the fuzzer itself failed", e.getCause());
                    }
                }
                probe(report, "after request " + Math.min(requests, sent + BATCH));
            }
        } finally {
            senders.shutdownNow();
        }
        report.elapsed((System.nanoTime() - start) / 1_000_000);
        report.heap(heapBefore, heapAfterGc());
        return report;
    }

    private void send(HostileInputs.Request r, FuzzReport report) {
        String where = r.endpoint().toString();
        try {
            HttpResponse<InputStream> response;
            try {
                response = http.send(build(r), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException stale) {
                // a pooled connection the server closed after its last answer (it closes after a 413 or 414):
                // only a failure on a fresh connection counts
                report.retried();
                response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                        .send(build(r), HttpResponse.BodyHandlers.ofInputStream());
            }
            int status = response.statusCode();
            report.answered(r.endpoint(), status);
            try (InputStream in = response.body()) {
                // a 2xx may be an endless stream (MJPEG): only its status is checked
                String problem = status / 100 == 2 ? (documented(r, status) ? null : "answered " + status)
                        : problem(r, status, in.readNBytes(MAX_READ));
                if (problem != null) {
                    report.failed(where, problem + " (" + r.kind() + ")", r.describe());
                }
            }
        } catch (HttpTimeoutException e) {
            report.failed(where, "no answer within " + HANG.toSeconds() + " s (" + r.kind() + ")", r.describe());
        } catch (IOException e) {
            report.failed(where, "connection failed: " + e.getClass().getSimpleName() + " " + e.getMessage()
                    + " (" + r.kind() + ")", r.describe());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpRequest build(HostileInputs.Request r) {
        HttpRequest.BodyPublisher body = r.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(r.body());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + r.pathAndQuery())).timeout(HANG)
                .method(r.method(), body);
        if (r.contentType() != null) {
            request.header("Content-Type", r.contentType());
        }
        r.headers().forEach(request::header);
        return request.build();
    }

    /**
     * Why a non-2xx answer breaks the rule, or null when it keeps it: a status the endpoint documents, or a 4xx with
     * a JSON message. 414 and 431 are the HTTP codec's refusals of a request line or headers over its limits, sent
     * before any route runs, so they carry no body.
     */
    private String problem(HostileInputs.Request r, int status, byte[] body) {
        if (documented(r, status)) {
            return null;
        }
        if (status / 100 != 4) {
            return "answered " + status;
        }
        if (status == 414 || status == 431) {
            return null;
        }
        try {
            JsonNode json = JSON.readTree(body);
            if (json != null && json.path("message").isTextual() && !json.path("message").asText().isBlank()) {
                return null;
            }
        } catch (IOException e) {
            // not JSON: reported below
        }
        return status + " without a JSON message";
    }

    /**
     * Whether the request's own endpoint documents {@code status} (a dead peer's 502 whatever the method), or the
     * endpoint its method and path reach after the server's path normalisation ({@code /api/%2e%2e/streams} is
     * {@code /streams}) does.
     */
    private boolean documented(HostileInputs.Request r, int status) {
        if (status / 100 != 2 && r.endpoint().documented().contains(status)) {
            return true;
        }
        String path = normalised(r.pathAndQuery());
        return endpoints.stream().anyMatch(e -> e.method().equals(r.method()) && e.documented().contains(status)
                && path.matches(e.template().replaceAll("\\{[^}]+}", "[^/]+").replace(".", "\\.")));
    }

    /** The path as RFC 3986 resolves it ({@code %2e} is a dot, dot segments removed, none above the root), no trailing slash. */
    private static String normalised(String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        String path = (q < 0 ? pathAndQuery : pathAndQuery.substring(0, q)).replaceAll("%2[eE]", ".");
        String resolved = URI.create(path).normalize().getRawPath();
        while (resolved.startsWith("/..")) {
            resolved = resolved.substring(3);
        }
        // REST matches /streams/ as /streams
        while (resolved.endsWith("/")) {
            resolved = resolved.substring(0, resolved.length() - 1);
        }
        return resolved.isEmpty() ? "/" : resolved;
    }

    private void probe(FuzzReport report, String when) throws InterruptedException {
        for (String path : healthy) {
            long start = System.nanoTime();
            long deadline = start + HEALTHY_WITHIN.toNanos();
            String last = "no answer";
            while (true) {
                try {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(HEALTHY_WITHIN).build();
                    int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status == 200) {
                        report.probed((System.nanoTime() - start) / 1_000_000);
                        break;
                    }
                    last = "status " + status;
                } catch (IOException e) {
                    last = e.toString();
                }
                if (System.nanoTime() > deadline) {
                    report.failed("GET " + path, "not healthy within " + HEALTHY_WITHIN.toSeconds() + " s", when + ": " + last);
                    break;
                }
                Thread.sleep(100); // pacing the poll, bounded by the deadline above
            }
        }
    }

    private static long heapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
