package io.visionfleet.sim.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.visionfleet.common.net.Backoff;
import io.visionfleet.common.net.UrlCredentials;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One WebSocket endpoint of the ingest server kept connected, as a drone keeps trying its ground station (the
 * drone simulator and ptz-service's simulated cameras publish through it): it connects in the background, retries with {@link Backoff} while the server is absent or after it drops the connection,
 * and logs each change of state once (not every failed attempt). Senders wait only for the first connection;
 * after that they ask for the {@link #current()} socket and drop what they cannot send, as a live source must.
 *
 * <p>A server that refuses the credentials (HTTP 401 or 403 to the handshake) will not change its mind by itself:
 * the refusal is logged in one line that names the setting to give, and after {@link #MAX_REFUSALS} in a row the
 * link gives up ({@link #gaveUp()}) instead of retrying forever.
 */
public final class WsLink implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WsLink.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(1);
    /** Error replies logged per connection: the first ones say what is wrong, the rest would only repeat it. */
    private static final int LOGGED_ERRORS = 3;
    private static final ObjectMapper REPLIES = new ObjectMapper();
    /** Refusals of the credentials in a row after which the link stops trying. */
    public static final int MAX_REFUSALS = 3;

    private final HttpClient http;
    private final URI uri;
    private final String name;
    private final ScheduledExecutorService timer;
    private final Backoff backoff;
    private final Duration sendTimeout;
    private final Runnable onConnectFailure;
    /** {@code Authorization} header with the publish credentials, or null to present none. */
    private final String authorization;
    /** Where a user gives the credentials (an option, a variable, a setting), named when the server refuses them. */
    private final String credentialSetting;
    /** True once the first session opens, false if the link is closed before. */
    private final CompletableFuture<Boolean> firstConnection = new CompletableFuture<>();

    private WebSocket open;
    private Listener openListener;
    private boolean closed;
    /** The failure last logged, so that a server that stays away is reported once. */
    private String reportedFailure;
    private int refusals;
    /** Why the link stopped trying, or null. */
    private String gaveUp;

    /**
     * Publishes with the credentials in {@code uri}'s user info ({@code ws://user:password@host:8080/...}), if any.
     *
     * @param backoff          reconnect delays; used under this link's lock only
     * @param onConnectFailure told of every failed connect attempt (statistics)
     */
    public WsLink(HttpClient http, URI uri, String name, ScheduledExecutorService timer, Backoff backoff, Duration sendTimeout,
                  Runnable onConnectFailure) {
        this(http, uri, name, timer, backoff, sendTimeout, onConnectFailure, Optional.empty(), "the URL's user info");
    }

    /**
     * @param login             publish credentials, presented as {@code Authorization: Basic} on every connect; when
     *                          empty, those in {@code uri}'s user info, if any
     * @param credentialSetting where a user gives them, for the message when the server refuses them
     */
    public WsLink(HttpClient http, URI uri, String name, ScheduledExecutorService timer, Backoff backoff, Duration sendTimeout,
                  Runnable onConnectFailure, Optional<UrlCredentials.Login> login, String credentialSetting) {
        Optional<UrlCredentials.Login> presented = login.isPresent() ? login : UrlCredentials.loginOf(uri.toString());
        this.http = http;
        this.uri = URI.create(UrlCredentials.withoutLogin(uri.toString())); // logged: never with a password
        this.name = name;
        this.timer = timer;
        this.backoff = backoff;
        this.sendTimeout = sendTimeout;
        this.onConnectFailure = onConnectFailure;
        this.credentialSetting = credentialSetting;
        this.authorization = presented.map(l -> "Basic " + Base64.getEncoder().encodeToString(
                (l.user() + ":" + l.password()).getBytes(StandardCharsets.UTF_8))).orElse(null);
    }

    public void start() {
        connect();
    }

    /** The open socket, or null while (re)connecting. A new value means a new session on the server. */
    public synchronized WebSocket current() {
        return open;
    }

    /**
     * Runs one send on {@code ws} and waits for it to complete, which is the WebSocket's back-pressure. A send
     * that fails or stays pending past the send timeout drops the connection and starts a reconnect.
     *
     * @return whether it was sent
     */
    public boolean send(WebSocket ws, Function<WebSocket, CompletableFuture<WebSocket>> op) {
        try {
            op.apply(ws).get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | IllegalStateException e) {
            lost(ws, "send failed: " + reason(e));
        } catch (TimeoutException e) {
            lost(ws, "send not completed within " + sendTimeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lost(ws, "interrupted");
        }
        return false;
    }

    /** Why the link stopped trying (the server refused its credentials), or empty while it keeps trying. */
    public synchronized Optional<String> gaveUp() {
        return Optional.ofNullable(gaveUp);
    }

    /** Runs {@code action} once the first session opens (never if the link is closed first). */
    public void whenFirstConnected(Runnable action) {
        firstConnection.thenAccept(connected -> {
            if (connected) {
                action.run();
            }
        });
    }

    /** Blocks until the first session opens; false when the link was closed first. */
    public boolean awaitFirstConnection() {
        try {
            return firstConnection.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return false;
        }
    }

    /**
     * Closes the session politely and stops reconnecting: the close frame, then the server's close reply,
     * each briefly awaited. Aborting at once could reset the TCP connection and lose the last messages.
     */
    @Override
    public void close() {
        WebSocket ws;
        Listener listener;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            firstConnection.complete(false);
            ws = open;
            listener = openListener;
            open = null;
        }
        if (ws != null) {
            try {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "publisher stopping").get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                listener.inputClosed.get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException | IllegalStateException e) {
                LOG.debugf("%s: close handshake incomplete: %s", name, reason(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ws.abort();
        }
    }

    private void connect() {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        Listener listener = new Listener();
        CompletableFuture<WebSocket> attempt;
        try {
            WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT);
            if (authorization != null) {
                builder.header("Authorization", authorization);
            }
            attempt = builder.buildAsync(uri, listener);
        } catch (IllegalArgumentException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        attempt.whenComplete((ws, error) -> {
            int status = handshakeStatus(error);
            if (status == 401 || status == 403) {
                refused(status);
            } else if (error != null) {
                connectFailed(reason(error), false);
            } else {
                opened(ws, listener);
            }
        });
    }

    private void opened(WebSocket ws, Listener listener) {
        boolean usable;
        synchronized (this) {
            if (closed) {
                ws.abort();
                return;
            }
            usable = !ws.isOutputClosed() && !ws.isInputClosed();
            if (usable) {
                open = ws;
                openListener = listener;
                reportedFailure = null;
                refusals = 0;
                backoff.reset();
                LOG.infof("%s: connected to %s", name, uri);
            }
        }
        if (usable) {
            firstConnection.complete(true); // outside the lock: its callbacks are the caller's code
        } else {
            // closed before we could use it: the listener's close went unnoticed, so retry from here
            ws.abort();
            connectFailed("closed by the server while opening", false);
        }
    }

    /** The server refused the credentials: said once, tried again a few times (a server restarting with new ones), then given up. */
    private void refused(int status) {
        String why = "the server refused the " + (authorization == null ? "missing" : "given") + " publish credentials (HTTP "
                + status + "); give them with " + credentialSetting;
        boolean stop;
        synchronized (this) {
            if (closed) {
                return;
            }
            stop = ++refusals >= MAX_REFUSALS;
            if (stop) {
                gaveUp = why;
            }
        }
        if (stop) {
            onConnectFailure.run();
            LOG.errorf("%s: %s: %s; stopped after %d refusals", name, uri, why, MAX_REFUSALS);
            close(); // completes the first connection as failed: senders waiting for it stop
        } else {
            connectFailed(why, true);
        }
    }

    /** A failed attempt, {@code refusal} when the server refused the credentials; the next one after the back-off. */
    private void connectFailed(String reason, boolean refusal) {
        onConnectFailure.run();
        long delay;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (!refusal) {
                refusals = 0; // the count is of refusals in a row
            }
            delay = backoff.nextDelay().toMillis();
            if (!reason.equals(reportedFailure)) {
                reportedFailure = reason;
                LOG.warnf("%s: cannot connect to %s (%s); retrying with backoff", name, uri, reason);
            } else {
                LOG.debugf("%s: still cannot connect (%s); next try in %d ms", name, reason, delay);
            }
        }
        timer.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    /** The session on {@code ws} is over; reconnects if it was the current one. */
    private void lost(WebSocket ws, String reason) {
        long delay;
        synchronized (this) {
            if (ws != open) {
                return;
            }
            open = null;
            reportedFailure = null;
            LOG.warnf("%s: connection to %s lost (%s); reconnecting", name, uri, reason);
            delay = backoff.nextDelay().toMillis();
        }
        ws.abort();
        timer.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    /** The HTTP status with which the server refused the WebSocket handshake, or 0 when it did not answer one. */
    private static int handshakeStatus(Throwable error) {
        Throwable cause = error;
        while (cause != null && !(cause instanceof WebSocketHandshakeException)) {
            cause = cause.getCause();
        }
        return cause == null ? 0 : ((WebSocketHandshakeException) cause).getResponse().statusCode();
    }

    private static String reason(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }

    /** Receives what the server says: its replies are logged, a close or error ends the session. */
    private final class Listener implements WebSocket.Listener {
        private final CompletableFuture<Void> inputClosed = new CompletableFuture<>();
        private int errors;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            if (!isError(data)) {
                LOG.debugf("%s: server replied: %s", name, abbreviate(data));
            } else if (errors++ < LOGGED_ERRORS) {
                LOG.warnf("%s: server reported: %s", name, abbreviate(data));
            } else {
                LOG.debugf("%s: server reported: %s", name, abbreviate(data));
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            inputClosed.complete(null);
            lost(ws, "closed by server: " + statusCode + (reason.isEmpty() ? "" : " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            inputClosed.complete(null);
            lost(ws, reason(error));
        }

        /** The ingest server answers {@code {"type":"error","message":...}} to what it refuses, and acks the rest. */
        private boolean isError(CharSequence data) {
            try {
                return "error".equals(REPLIES.readTree(data.toString()).path("type").asText());
            } catch (JsonProcessingException notJson) {
                return true;
            }
        }

        private String abbreviate(CharSequence data) {
            return data.length() <= 300 ? data.toString() : data.subSequence(0, 300) + "...";
        }
    }
}
