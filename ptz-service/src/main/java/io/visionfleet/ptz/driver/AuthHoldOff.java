package io.visionfleet.ptz.driver;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * After a camera refuses the credentials, nothing at all is sent to it for a hold-off that doubles on each refusal
 * (up to 30 min) and resets on the next accepted request: cameras lock an account after a few failed logins.
 * Thread-safe; its lock guards only these fields, never a request. Refusals of requests that were in flight when the
 * hold-off began count once: they neither extend nor double it.
 */
public final class AuthHoldOff {
    private static final Logger LOG = Logger.getLogger(AuthHoldOff.class);
    static final long MAX_MS = TimeUnit.MINUTES.toMillis(30);

    private final String camera;
    private final String username;
    private final String passwordKey;
    private final long firstMs;
    private final LongSupplier clockMs;
    private long blockedUntil;
    private long delayMs;

    /**
     * @param camera      how messages name the camera
     * @param passwordKey the configuration key an operator should check, e.g. {@code fleet.ptz.cameras.*.isapi.password}
     * @param first       the first hold-off
     */
    public AuthHoldOff(String camera, String username, String passwordKey, Duration first, LongSupplier clockMs) {
        this.camera = camera;
        this.username = username;
        this.passwordKey = passwordKey;
        this.firstMs = first.toMillis();
        this.clockMs = clockMs;
        this.delayMs = firstMs;
    }

    /** @throws PtzAuthException while held off, saying for how long and what to check */
    public synchronized void check() {
        long now = clockMs.getAsLong();
        if (now < blockedUntil) {
            throw new PtzAuthException(String.format("camera %s refused user '%s'; not trying again for %d s (its login "
                    + "lock trips after repeated failures): check %s", camera, username, (blockedUntil - now + 999) / 1000,
                    passwordKey));
        }
    }

    /**
     * A refusal: holds off and logs it with the camera's {@code reason}.
     *
     * @return the hold-off, ms (the remainder of the current one when already holding off)
     */
    public synchronized long refused(String reason) {
        long now = clockMs.getAsLong();
        if (now < blockedUntil) {
            return blockedUntil - now;
        }
        long held = delayMs;
        blockedUntil = now + held;
        delayMs = Math.min(MAX_MS, delayMs * 2);
        LOG.errorf("camera %s refused the credentials of user '%s' (%s); holding off %d s", camera, username, reason,
                held / 1000);
        return held;
    }

    /** An accepted request: the next refusal holds off for the first hold-off again. */
    public synchronized void accepted() {
        delayMs = firstMs;
    }
}
