package io.visionfleet.ptz.driver;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP to one camera: one client with the configured connect and request timeout, transport failures as
 * {@link PtzUnreachableException}s naming the camera and the request, and a count of requests sent. Thread-safe and
 * lock-free: concurrent requests go out side by side.
 */
public final class CameraHttp {
    private final String camera;
    private final Duration timeout;
    private final HttpClient client;
    private final AtomicLong requests = new AtomicLong();

    /** @param camera how errors name the camera (its host or base URL) */
    public CameraHttp(String camera, Duration timeout) {
        this.camera = camera;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** Sends {@code request} with the timeout; {@code what} names it in errors (an operation, or method and path). */
    public HttpResponse<String> send(HttpRequest.Builder request, String what) {
        requests.incrementAndGet();
        try {
            return client.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new PtzUnreachableException("camera " + camera + " unreachable (" + what + "): "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PtzException("interrupted while talking to " + camera, e);
        }
    }

    public String camera() {
        return camera;
    }

    /** Requests sent so far (tests check that refused credentials cause no retry storm). */
    public long requests() {
        return requests.get();
    }
}
