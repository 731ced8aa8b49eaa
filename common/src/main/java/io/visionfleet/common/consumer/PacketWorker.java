package io.visionfleet.common.consumer;

import io.visionfleet.common.rtsp.PacketSession;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.javacpp.PointerScope;

import java.io.IOException;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;

/**
 * Packet mode: every video packet (one access unit) goes to the consumer on the grab thread, undecoded and in
 * order, because a recording cannot skip packets. A slow consumer slows only its own TCP reads; the relay then
 * drops for this reader alone.
 */
final class PacketWorker<S extends StreamSession> extends StreamWorker<S, PacketSession> {
    private final PacketConsumer<S> packetConsumer;
    private final MeanCost cost = new MeanCost();

    PacketWorker(PacketConsumer<S> consumer, StreamState state, ConsumerSettings settings) {
        super(consumer, state, settings);
        this.packetConsumer = consumer;
    }

    @Override
    PacketSession connect(String url) throws IOException {
        return PacketSession.open(url, settings.ioTimeout());
    }

    @Override
    String read(PacketSession session) throws IOException {
        boolean first = true;
        while (!stopRequested()) {
            // the session's own packet, no allocation: the scope is the consumer's, inside its session's use
            AVPacket packet = session.grabVideoPacket();
            if (packet == null) {
                return endOfStream();
            }
            try {
                FrameMeta meta = identify(session, session.packetPtsMicros(packet),
                        (packet.flags() & AV_PKT_FLAG_KEY) != 0, first);
                first = false;
                long start = System.nanoTime();
                sessions.use(s -> {
                    try (PointerScope scope = new PointerScope()) {
                        packetConsumer.onPacket(s, meta, packet);
                    }
                });
                cost.add(System.nanoTime() - start);
                state.frameProcessed(System.currentTimeMillis());
            } catch (Exception e) {
                handlingFailed(e);
            } finally {
                // the session reuses its packet and owns its data: this only resets what a consumer attached
                av_packet_unref(packet);
            }
        }
        return "stopped";
    }

    @Override
    double meanCostMs() {
        return cost.millis();
    }

    @Override
    void finish() {
        // nothing beyond the session, which the grab loop releases
    }
}
