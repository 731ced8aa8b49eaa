package io.visionfleet.ptz.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Stop requests to {@code POST /ptz/sim/move} for the tests of the failed-token slow-down, which configure a delay
 * ({@link #DELAY}) far beyond any test: a refusal the server holds is never seen answered, and one it does not hold is
 * answered well within {@link #ANSWERED}, however busy the machine. Neither depends on how long a request takes.
 */
final class HeldRefusals {
    /** The failure delay the tests configure. */
    static final Duration DELAY = Duration.ofMinutes(10);
    /** An answer that is not held comes within this: far above any normal answer time, far below {@link #DELAY}. */
    private static final Duration ANSWERED = Duration.ofSeconds(60);
    /** A held refusal is still unanswered this long after it was sent. */
    private static final Duration HELD = Duration.ofSeconds(2);

    /** The failure-delay settings that hold every refusal after the second for {@link #DELAY}. */
    static Map<String, String> config() {
        String delay = DELAY.toMillis() + "ms";
        return Map.of("fleet.api.failure-delay.free-failures", "2", "fleet.api.failure-delay.initial", delay,
                "fleet.api.failure-delay.max", delay);
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI move;

    HeldRefusals(URI move) {
        this.move = move;
    }

    /** Sends a stop with these headers (name, value, ...) and returns the answer's status: it is not held. */
    int answered(String... headers) throws Exception {
        HttpResponse<String> response = http.send(request(headers).timeout(ANSWERED).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }

    /** Sends a stop with these headers and asserts that the server holds its answer; the request is then given up. */
    void assertHeld(String... headers) {
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(request(headers).build(),
                HttpResponse.BodyHandlers.ofString());
        try {
            assertThatThrownBy(() -> answer.get(HELD.toMillis(), TimeUnit.MILLISECONDS))
                    .as("the refusal is held").isInstanceOf(TimeoutException.class);
        } finally {
            answer.cancel(true);
        }
    }

    private HttpRequest.Builder request(String... headers) {
        return HttpRequest.newBuilder(move).headers(headers).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"stop\":true}"));
    }
}
