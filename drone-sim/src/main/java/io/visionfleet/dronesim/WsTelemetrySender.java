package io.visionfleet.dronesim;

import io.visionfleet.sim.publish.WsLink;

import java.net.http.WebSocket;

/**
 * Sends {@link TelemetryGenerator} samples as JSON text messages on {@code /ws/telemetry/{id}} at a fixed rate,
 * each send completed before the next. Samples due while the link is down are dropped: stale IMU data is
 * worth nothing to a live consumer.
 */
final class WsTelemetrySender {
    private final WsLink link;
    private final TelemetryGenerator generator;
    private final Pacer pacer;
    private final SendStats stats;

    WsTelemetrySender(WsLink link, TelemetryGenerator generator, Pacer pacer, SendStats stats) {
        this.link = link;
        this.generator = generator;
        this.pacer = pacer;
        this.stats = stats;
    }

    /** Sends until the run stops. */
    void run() {
        if (!link.awaitFirstConnection()) {
            return;
        }
        for (long seq; (seq = pacer.awaitNext()) >= 0; ) {
            WebSocket ws = link.current();
            // stamped with its slot, like an IMU's sample clock, even when a stalled send makes samples go out together
            String json = generator.sample(seq, pacer.epochMillis(seq)).toString();
            if (ws != null && link.send(ws, w -> w.sendText(json, true))) {
                stats.sampleSent();
            } else {
                stats.sampleDropped();
            }
        }
    }
}
