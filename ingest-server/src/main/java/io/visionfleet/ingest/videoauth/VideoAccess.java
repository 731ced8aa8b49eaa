package io.visionfleet.ingest.videoauth;

import io.quarkus.runtime.StartupEvent;
import io.visionfleet.common.api.FailedAttempts;
import io.visionfleet.common.api.Placeholder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Decides who may publish into and read from which stream, from {@code fleet.video-auth.credentials}. With none
 * configured, clients on the loopback interface may do anything and every other client is refused: a fleet on one
 * machine works out of the box, and nothing on the network can publish or watch until credentials are set.
 * Passwords are compared in constant time (over their SHA-256, so their lengths do not show either), never logged,
 * and a client that keeps failing is slowed down by {@link #failed(String)}. An entry whose password is a placeholder
 * ({@link Placeholder}), which everyone who read the repository knows, stops ingest-server at start-up. Where
 * credentials are configured and so is the API's viewer token ({@code fleet.api.viewer-token}), user {@value #VIEWER}
 * with that token as password reads every stream: a viewer watches over RTSP with the credential the dashboard takes.
 */
@ApplicationScoped
public class VideoAccess {
    private static final Logger LOG = Logger.getLogger(VideoAccess.class);
    /** The RTSP user whose password is the viewer token. */
    public static final String VIEWER = "viewer";

    /** How a request fared. */
    public enum Outcome {
        /** Go ahead. */
        ALLOWED,
        /** Credentials are required and none came: challenge the client (401). */
        MISSING,
        /** Credentials came and are wrong (401, after the failure delay). */
        WRONG,
        /** Right credentials that do not cover this stream or action (403). */
        NOT_PERMITTED,
        /** No credentials are configured and the client is not on this machine (403). */
        REMOTE_REFUSED
    }

    /** @param user the authenticated user, null when none; @param reason what to tell the client, null when allowed */
    public record Decision(Outcome outcome, String user, String reason) {
        public boolean allowed() {
            return outcome == Outcome.ALLOWED;
        }
    }

    private record Rule(String name, String user, byte[] userHash, byte[] passwordHash, String password,
                        StreamPattern streams, EnumSet<VideoAction> actions) {
        boolean covers(VideoAction action, String stream) {
            return actions.contains(action) && streams.matches(stream);
        }
    }

    private final VideoAuthConfig config;
    private final List<Rule> rules;
    private final FailedAttempts delays;
    private final DigestNonces nonces;

    public VideoAccess(VideoAuthConfig config, @ConfigProperty(name = "fleet.api.viewer-token") Optional<String> viewerToken) {
        this.config = config;
        this.rules = withViewer(compile(config.credentials()), viewerToken.map(String::trim).filter(t -> !t.isEmpty()));
        this.delays = failureDelays(config.failureDelay(), config.maxFailureDelay());
        this.nonces = new DigestNonces(config.nonceLifetime());
    }

    void onStart(@Observes StartupEvent event) {
        if (!configured()) {
            LOG.warn("no video credentials configured (fleet.video-auth.credentials): WebSocket publishing, pull-source "
                    + "registration and RTSP reading are open to clients on this machine (loopback) only, and refused "
                    + "to everyone else; set credentials to serve other hosts (docs/security.md)");
        } else if (!rules.isEmpty()) {
            LOG.infof("video credentials: %s; RTSP offers %s", String.join("; ", users()), config.rtspSchemes());
        }
    }

    /** Whether any credentials are configured; without them only loopback clients are served. */
    public boolean configured() {
        return !rules.isEmpty();
    }

    /** Each usable user with what it may do ({@code reader: read on *}). */
    public List<String> users() {
        return rules.stream().map(r -> r.user + ": " + r.actions.stream().map(VideoAction::label)
                .reduce((a, b) -> a + "," + b).orElse("") + " on " + r.streams).toList();
    }

    public String realm() {
        return config.realm();
    }

    public List<VideoAuthConfig.Scheme> rtspSchemes() {
        return config.rtspSchemes();
    }

    public DigestNonces nonces() {
        return nonces;
    }

    /**
     * Checks user name and password (HTTP Basic, query parameters, the RTSP Basic scheme).
     *
     * @param user null when the client presented none
     */
    public Decision check(VideoAction action, String stream, InetAddress peer, String user, String password) {
        if (!configured()) {
            return open(action, peer);
        }
        if (user == null) {
            return missing(action, stream);
        }
        byte[] userHash = sha256(user);
        byte[] passwordHash = sha256(password == null ? "" : password);
        Rule authenticated = null;
        Rule permitted = null;
        for (Rule rule : rules) {
            // both comparisons always run: which of the two differs does not show in the time taken
            boolean match = MessageDigest.isEqual(rule.userHash, userHash) & MessageDigest.isEqual(rule.passwordHash, passwordHash);
            if (match) {
                authenticated = rule;
                if (rule.covers(action, stream)) {
                    permitted = rule;
                }
            }
        }
        return decide(action, stream, authenticated, permitted);
    }

    /** Checks an RTSP Digest response computed for {@code method} by the client; the nonce is checked by the caller. */
    public Decision checkDigest(VideoAction action, String stream, InetAddress peer, DigestResponse response, String method) {
        if (!configured()) {
            return open(action, peer);
        }
        Rule authenticated = null;
        Rule permitted = null;
        for (Rule rule : rules) {
            if (rule.user.equals(response.username()) && response.matches(rule.user, rule.password, method)) {
                authenticated = rule;
                if (rule.covers(action, stream)) {
                    permitted = rule;
                }
            }
        }
        return decide(action, stream, authenticated, permitted);
    }

    /** Addresses whose failures are remembered at once; the least recently failing are forgotten first. */
    static final int MAX_FAILING_CLIENTS = 4096;

    /**
     * The fleet's failed-attempt slowing (the same as the control API's) with video's settings: every failure counts,
     * and a camera with an old password is slowed, never locked out nor refused outright.
     */
    static FailedAttempts failureDelays(Duration initial, Duration max) {
        return new FailedAttempts(0, initial, max, Duration.ofMinutes(1), MAX_FAILING_CLIENTS, Integer.MAX_VALUE,
                System::currentTimeMillis);
    }

    /** A failed attempt of {@code client}; how many milliseconds to hold back the answer. */
    public long failed(String client) {
        long wait = delays.failed(client);
        delays.answered(client); // callers schedule the answer themselves; nothing caps refusals waiting
        return wait;
    }

    public void succeeded(String client) {
        delays.succeeded(client);
    }

    private Decision decide(VideoAction action, String stream, Rule authenticated, Rule permitted) {
        if (permitted != null) {
            return new Decision(Outcome.ALLOWED, permitted.user, null);
        }
        if (authenticated != null) {
            return new Decision(Outcome.NOT_PERMITTED, authenticated.user,
                    "user '" + authenticated.user + "' may not " + action.label() + " stream '" + stream + "'");
        }
        return new Decision(Outcome.WRONG, null, "wrong user name or password to " + action.label() + " stream '" + stream + "'");
    }

    private static Decision missing(VideoAction action, String stream) {
        return new Decision(Outcome.MISSING, null, "credentials required to " + action.label() + " stream '" + stream + "'");
    }

    private static Decision open(VideoAction action, InetAddress peer) {
        if (peer != null && peer.isLoopbackAddress()) {
            return new Decision(Outcome.ALLOWED, null, null);
        }
        return new Decision(Outcome.REMOTE_REFUSED, null, "no video credentials are configured on this server: only "
                + "clients on its own machine may " + action.label());
    }

    private static List<Rule> compile(Map<String, VideoAuthConfig.Credential> credentials) {
        List<Rule> compiled = new ArrayList<>();
        for (Map.Entry<String, VideoAuthConfig.Credential> e : new TreeMap<>(credentials).entrySet()) {
            String key = "fleet.video-auth.credentials." + e.getKey();
            VideoAuthConfig.Credential c = e.getValue();
            if (c.user().isBlank() || c.user().contains(":")) {
                throw new IllegalStateException(key + ".user must be non-empty and hold no ':'");
            }
            if (c.password().isEmpty()) {
                throw new IllegalStateException(key + ".password must not be empty");
            }
            Placeholder.refuse(key + ".password", c.password());
            if (c.actions().isEmpty()) {
                throw new IllegalStateException(key + ".actions must name publish, read or both");
            }
            StreamPattern streams;
            try {
                streams = StreamPattern.parse(c.streams());
            } catch (IllegalArgumentException ex) {
                throw new IllegalStateException(key + ".streams: " + ex.getMessage());
            }
            compiled.add(new Rule(e.getKey(), c.user(), sha256(c.user()), sha256(c.password()), c.password(), streams,
                    EnumSet.copyOf(c.actions())));
        }
        return List.copyOf(compiled);
    }

    /** The rules plus the viewer's, where there are rules: with none, loopback-only stays loopback-only. */
    private static List<Rule> withViewer(List<Rule> rules, Optional<String> viewerToken) {
        if (rules.isEmpty() || viewerToken.isEmpty()) {
            return rules;
        }
        List<Rule> all = new ArrayList<>(rules);
        all.add(new Rule("fleet.api.viewer-token", VIEWER, sha256(VIEWER), sha256(viewerToken.get()), viewerToken.get(),
                StreamPattern.parse("*"), EnumSet.of(VideoAction.READ)));
        return List.copyOf(all);
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
