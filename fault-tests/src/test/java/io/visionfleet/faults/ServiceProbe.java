package io.visionfleet.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.messages.FrameStats;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.awaitility.Awaitility.await;

/** What a fault test asks a running service over HTTP: readiness, JSON resources, streams and Prometheus counters. */
final class ServiceProbe {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** A readiness answer: the HTTP status and the health report. */
    record Readiness(int status, JsonNode body) {
        boolean ready() {
            return status == 200;
        }

        /** The named check of the report, or an empty node. */
        JsonNode check(String name) {
            for (JsonNode check : body.path("checks")) {
                if (name.equals(check.path("name").asText())) {
                    return check;
                }
            }
            return Json.MAPPER.createObjectNode();
        }
    }

    private final String name;
    private final String baseUri;

    ServiceProbe(String name, String baseUri) {
        this.name = name;
        this.baseUri = baseUri;
    }

    String name() {
        return name;
    }

    Readiness readiness() {
        HttpResponse<String> response = get("/q/health/ready").orElseThrow(() -> new AssertionError(name + " does not answer"));
        try {
            return new Readiness(response.statusCode(), Json.MAPPER.readTree(response.body()));
        } catch (IOException e) {
            throw new AssertionError(name + " readiness is not JSON: " + response.body(), e);
        }
    }

    boolean ready() {
        return get("/q/health/ready").map(r -> r.statusCode() == 200).orElse(false);
    }

    /** {@code GET path} as JSON, empty unless it answered 200. */
    Optional<JsonNode> json(String path) {
        return get(path).filter(r -> r.statusCode() == 200).map(r -> {
            try {
                return Json.MAPPER.readTree(r.body());
            } catch (IOException e) {
                throw new AssertionError(name + path + " is not JSON", e);
            }
        });
    }

    /**
     * Waits until the service's session of {@code stream} has ended and every frame it received was processed or
     * replaced by a newer one ({@code /streams}): from then on its counts, and what it published, stay as they are.
     */
    FrameStats awaitDrained(String stream) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> stream(stream),
                s -> !s.connected() && s.framesProcessed() + s.dropped() == s.framesIn());
    }

    private FrameStats stream(String stream) {
        for (JsonNode s : json("/streams").orElseThrow(() -> new AssertionError(name + " serves no /streams"))) {
            if (stream.equals(s.path("stream_id").asText())) {
                return Json.MAPPER.convertValue(s, FrameStats.class);
            }
        }
        throw new AssertionError(name + " does not follow " + stream);
    }

    /** The value of counter or gauge {@code metric} with exactly these {@code tags} on {@code /q/metrics}, or 0. */
    double metric(String metric, Map<String, String> tags) {
        String text = get("/q/metrics").filter(r -> r.statusCode() == 200).map(HttpResponse::body)
                .orElseThrow(() -> new AssertionError(name + " serves no metrics"));
        for (String line : text.split("\n")) {
            if (line.startsWith(metric + "{") && tags.entrySet().stream()
                    .allMatch(t -> line.contains(t.getKey() + "=\"" + t.getValue() + "\""))) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    private Optional<HttpResponse<String>> get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUri + path)).timeout(Duration.ofSeconds(5)).build();
        try {
            return Optional.of(HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
