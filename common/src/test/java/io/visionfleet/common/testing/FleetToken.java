package io.visionfleet.common.testing;

/**
 * The fleet token of the tests: what every service's test profile configures ({@code %test.fleet.api.token}) and
 * what {@link ServiceProcess} gives the services it starts, so tests that call control endpoints present it.
 */
public final class FleetToken {
    /** {@code fleet.api.token} in tests. */
    public static final String TEST = "test-token";
    /** Its {@code Authorization} header value. */
    public static final String BEARER = "Bearer " + TEST;
    /** {@code fleet.api.viewer-token} where a test profile sets one ({@link RouteAccessProfile}). */
    public static final String VIEWER = "test-viewer-token";

    private FleetToken() {
    }
}
