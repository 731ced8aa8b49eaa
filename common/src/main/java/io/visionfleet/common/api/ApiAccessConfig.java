package io.visionfleet.common.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Who may use a service's HTTP API ({@code fleet.api.*}), the same in every service (docs/security.md). Every
 * state-changing request (any method but GET, HEAD and OPTIONS) needs the fleet token as
 * {@code Authorization: Bearer <token>} (or a login's session cookie); reads need it or the viewer token, except
 * {@code open-paths}, unless {@code protect-reads} is turned off.
 */
@ConfigMapping(prefix = "fleet.api")
public interface ApiAccessConfig {
    /**
     * The fleet token ({@code FLEET_API_TOKEN}). Unset: the control API answers 503 and readiness is down, unless
     * {@code insecure} is set. Never logged or shown.
     */
    Optional<String> token();

    /**
     * The viewer token ({@code FLEET_API_VIEWER_TOKEN}): the credential of who may watch and read but not control.
     * It opens every read that {@code protect-reads} protects; a state-changing request with it is refused with 403.
     * Unset: only the fleet token opens protected reads. Never logged or shown.
     */
    Optional<String> viewerToken();

    /** Runs without a token: control and reads open to anyone who reaches the port (a warning says so at start). */
    @WithDefault("false")
    boolean insecure();

    /**
     * Reads (GET, HEAD, OPTIONS; WebSocket upgrades) need the viewer's or the fleet token too, as the header or a
     * login's session cookie: video, recordings and results are private by default. Paths in {@code open-paths} stay
     * open. Off, anyone who reaches the port may watch and read.
     */
    @WithDefault("true")
    boolean protectReads();

    /**
     * Paths readable without the token even with {@code protect-reads}: a path matches an entry equal to it or a
     * parent of it ({@code /q/health} opens {@code /q/health/ready}); an entry ending in {@code *} is a prefix.
     */
    @WithDefault("/q/health,/q/metrics")
    List<String> openPaths();

    /** How long a login's session cookie ({@code POST /auth/session}) is good for; rotating the token ends it sooner. */
    @WithDefault("12h")
    Duration sessionLifetime();

    /** Slowing of repeated failed attempts from one client address. */
    FailureDelay failureDelay();

    interface FailureDelay {
        /** Consecutive failures from one client answered at once; each further one waits before its 401. */
        @WithDefault("3")
        int freeFailures();

        /** The wait of the first delayed failure; it doubles with each further consecutive failure... */
        @WithDefault("250ms")
        Duration initial();

        /** ...up to this. A right token is never delayed and clears the count: nobody is ever locked out. */
        @WithDefault("5s")
        Duration max();

        /** Failed answers one client may have waiting at once; more are answered 429 without checking their token. */
        @WithDefault("8")
        int maxWaiting();

        /** A client's count is forgotten after this long without a failure. */
        @WithDefault("15m")
        Duration forgetAfter();

        /** Clients whose failures are remembered at once; the oldest are forgotten beyond. */
        @WithDefault("10000")
        int maxClients();
    }
}
