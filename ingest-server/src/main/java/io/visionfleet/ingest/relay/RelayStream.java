package io.visionfleet.ingest.relay;

import io.visionfleet.common.h264.AccessUnit;

/**
 * One relayed stream: parameter sets, the current GOP for late joiners, and its readers.
 * API CONTRACT ONLY - the relay helper implements the bodies (GOP cache, packetization, per-reader bounded
 * queues, RTCP sender reports, stats).
 */
public class RelayStream {
    private final String id;
    private final String source;
    private final RelayConfig config;

    public RelayStream(String id, String source, RelayConfig config) {
        this.id = id;
        this.source = source;
        this.config = config;
    }

    public String id() {
        return id;
    }

    public String source() {
        return source;
    }

    /** Feeds one access unit. Called by the stream's single producer; never blocks on readers. */
    public void publish(AccessUnit au) {
        throw new UnsupportedOperationException("relay helper implements");
    }

    /** Lets a pull source report its state (connecting, playing, retrying: reason) for status. */
    public void sourceState(String state) {
        throw new UnsupportedOperationException("relay helper implements");
    }

    /** Disconnects every reader. */
    public void close() {
        throw new UnsupportedOperationException("relay helper implements");
    }
}
