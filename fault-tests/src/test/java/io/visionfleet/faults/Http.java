package io.visionfleet.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.visionfleet.common.bus.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** GETs against the services' HTTP APIs. */
final class Http {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private Http() {
    }

    /** The answer to {@code GET uri}, whatever its status. */
    static HttpResponse<String> get(String uri) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).build();
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The JSON body of {@code GET uri}, whatever its status (health answers 503 when down). */
    static JsonNode json(String uri) {
        try {
            return Json.MAPPER.readTree(get(uri).body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
