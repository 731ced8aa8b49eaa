package io.visionfleet.common.consumer;

import org.bytedeco.ffmpeg.avcodec.AVPacket;

/**
 * Packet mode, for consumers that store or forward the stream without decoding it: {@link #onPacket} receives
 * every video packet (one access unit) in order on the stream's grab thread.
 */
public abstract class PacketConsumer<S extends StreamSession> extends RtspConsumer<S> {
    protected PacketConsumer(ConsumerSettings settings) {
        super(settings);
    }

    /**
     * Handles one packet (one access unit, Annex B) of the stream whose session is {@code session}. Ownership: the
     * packet is lent for the duration of the call, and the consumer resets it with {@code av_packet_unref}
     * afterwards; handing it to a muxer that takes it over is fine. To keep its data past the call, reference it into
     * a packet of your own ({@code av_packet_ref}, which copies it). Read {@code meta} first: a recorder rescales the
     * packet's timestamps in place. The call runs inside a {@code PointerScope}; an exception is counted and
     * logged, and the stream goes on.
     */
    protected abstract void onPacket(S session, FrameMeta meta, AVPacket packet) throws Exception;

    @Override
    StreamWorker<S, ?> newWorker(StreamState state) {
        return new PacketWorker<>(this, state, settings());
    }
}
