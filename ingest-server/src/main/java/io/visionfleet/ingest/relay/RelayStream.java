package io.visionfleet.ingest.relay;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.common.h264.ParameterSets;
import io.visionfleet.common.h264.VideoCodec;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One relayed stream: its parameter sets, the current GOP for late joiners, its readers and its statistics.
 *
 * <p>Each access unit is packetized once and fanned out to every reader under one lock, the same lock under
 * which a reader joins and receives the cached GOP: a joiner therefore gets the GOP and then every live access
 * unit, with no gap and no duplicate. Writes only queue data on the readers' channels, so {@link #publish}
 * never waits for a reader.
 *
 * <p>A stream carries H.264 or H.265. When its codec changes, every reader and tap is disconnected and the GOP
 * cache emptied: a reader's session was described for one codec and cannot be fed the other, so it reconnects and
 * is described afresh once the new codec's parameter sets arrived (DESCRIBE answers 503 until then).
 */
public class RelayStream {
    private static final Logger LOG = Logger.getLogger(RelayStream.class);

    private final String id;
    private final String source;
    private final RtpPacketizer packetizer = new RtpPacketizer(PooledByteBufAllocator.DEFAULT);
    private final RtpClock clock = new RtpClock(ThreadLocalRandom.current().nextInt());
    private final int ssrc = ThreadLocalRandom.current().nextInt();
    private final long senderReportIntervalNanos;
    /** The clock of rates and ages; a test sets its own, so that a rate does not depend on how fast the test ran. */
    private final LongSupplier nanos;

    private final Object lock = new Object();
    private final List<RelayReader> readers = new ArrayList<>();
    private final List<AccessUnitTap> taps = new ArrayList<>();
    private final GopCache gop;
    private final ThroughputWindow inputRate = new ThroughputWindow();
    private long accessUnitsIn;
    private long bytesIn;
    private long lastIdrNanos;
    private boolean sawIdr;
    private boolean closed;
    /** Runs once, when the first IDR is cached: from then on a reader that joins starts decoding at once. */
    private volatile Runnable onPlayable = () -> { };

    /** Written by the single producer, read by RTSP sessions answering DESCRIBE. */
    private volatile ParameterSets parameterSets;
    /** The codec of the latest access unit; written under the lock by the producer. */
    private volatile VideoCodec codec = VideoCodec.H264;
    private volatile String sourceState = "open";

    public RelayStream(String id, String source, RelayConfig config) {
        this(id, source, config, System::nanoTime);
    }

    RelayStream(String id, String source, RelayConfig config, LongSupplier nanos) {
        this.nanos = nanos;
        this.id = id;
        this.source = source;
        this.gop = new GopCache(config.gopCacheBytes());
        this.senderReportIntervalNanos = TimeUnit.SECONDS.toNanos(config.senderReportSeconds());
    }

    public String id() {
        return id;
    }

    public String source() {
        return source;
    }

    /** Feeds one access unit. Called by the stream's single producer; never blocks on readers. */
    public void publish(AccessUnit au) {
        long now = nanos.getAsLong();
        if (au.codec() != codec) {
            switchCodec(au.codec());
        }
        ParameterSets current = ParameterSets.update(parameterSets, au);
        if (current != parameterSets) {
            parameterSets = current;
            LOG.debugf("stream %s: %s parameter sets", id, au.codec());
        }
        if (current == null) {
            synchronized (lock) {
                countInput(au, now);
            }
            return; // nobody can decode it, and DESCRIBE answers 503 until SPS and PPS arrive
        }
        PacketizedAccessUnit packets = packetizer.packetize(au, current, clock.rtpTimestamp(au.captureTs()));
        if (fanOut(packets, au, now)) {
            onPlayable.run();
        }
    }

    /**
     * Runs {@code action} once, after the stream's first IDR (with its parameter sets) is in the GOP cache; set it
     * before the first access unit is published.
     */
    public void whenPlayable(Runnable action) {
        this.onPlayable = action;
    }

    /** Caches and offers the picture to every reader; returns true when it is the stream's first IDR. */
    private boolean fanOut(PacketizedAccessUnit packets, AccessUnit au, long now) {
        try {
            synchronized (lock) {
                if (closed) {
                    return false;
                }
                countInput(au, now);
                boolean first = packets.idr() && !sawIdr;
                if (packets.idr()) {
                    lastIdrNanos = now;
                    sawIdr = true;
                }
                gop.add(packets);
                for (RelayReader reader : readers) {
                    reader.offer(packets, now);
                }
                for (AccessUnitTap tap : taps) {
                    tap.accessUnit(packets.nals(), packets.idr());
                }
                return first;
            }
        } finally {
            packets.release();
        }
    }

    /** Disconnects every reader and tap of the old codec and forgets its GOP; the parameter sets start over. */
    private void switchCodec(VideoCodec next) {
        synchronized (lock) {
            if (parameterSets != null) {
                LOG.infof("stream %s: codec changed from %s to %s; %d readers and %d viewers disconnected", id, codec,
                        next, readers.size(), taps.size());
            }
            codec = next;
            parameterSets = null;
            disconnectAll();
        }
    }

    /** Closes every reader's connection and tap and empties the GOP cache; called with the lock held. */
    private void disconnectAll() {
        readers.forEach(reader -> reader.channel().close());
        readers.clear();
        taps.forEach(AccessUnitTap::closed);
        taps.clear();
        gop.clear();
    }

    /** The codec the stream carries now (H.264 until an access unit says otherwise). */
    public VideoCodec codec() {
        return codec;
    }

    /** Lets a pull source report its state (connecting, playing, retrying: reason) for status. */
    public void sourceState(String state) {
        this.sourceState = state;
    }

    public String sourceState() {
        return sourceState;
    }

    public boolean hasParameterSets() {
        return parameterSets != null;
    }

    /** The SDP for DESCRIBE; empty until the stream has carried its parameter sets. */
    public Optional<String> sdp() {
        ParameterSets sets = parameterSets;
        return sets == null ? Optional.empty() : Optional.of(SessionDescription.of(id, Integer.toUnsignedLong(ssrc), sets));
    }

    /** Disconnects every reader. */
    public void close() {
        synchronized (lock) {
            closed = true;
            disconnectAll();
        }
    }

    public RelayStats stats() {
        long now = nanos.getAsLong();
        synchronized (lock) {
            List<RelayStats.Reader> readerStats = readers.stream().map(RelayReader::stats).toList();
            return new RelayStats(id, source, sourceState, hasParameterSets(), inputRate.events(now),
                    inputRate.bytes(now) * 8, bytesIn, accessUnitsIn,
                    sawIdr ? TimeUnit.NANOSECONDS.toMillis(now - lastIdrNanos) : null, readerStats);
        }
    }

    /**
     * Starts a reader whose session was described for {@code described}: it receives the cached GOP (from its IDR)
     * at once, then every live access unit. Returns false when the stream is already closed or now carries another
     * codec.
     */
    boolean attach(RelayReader reader, VideoCodec described) {
        long now = nanos.getAsLong();
        synchronized (lock) {
            if (closed || described != codec) {
                return false;
            }
            readers.add(reader);
            for (PacketizedAccessUnit au : gop.units()) {
                reader.offer(au, now);
            }
            return true;
        }
    }

    /**
     * Starts a tap (e.g. a browser viewer): like a reader, it gets the cached GOP at once, then every live access
     * unit. Returns false when the stream is already closed.
     */
    public boolean tap(AccessUnitTap tap) {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            taps.add(tap);
            for (PacketizedAccessUnit au : gop.units()) {
                tap.accessUnit(au.nals(), au.idr());
            }
            return true;
        }
    }

    public void untap(AccessUnitTap tap) {
        synchronized (lock) {
            taps.remove(tap);
        }
    }

    void detach(RelayReader reader) {
        synchronized (lock) {
            readers.remove(reader);
        }
    }

    /** A reader of this stream on {@code channel}, not yet attached. */
    RelayReader newReader(String readerId, Channel channel, int rtpChannel, int rtcpChannel) {
        return new RelayReader(readerId, channel, rtpChannel, rtcpChannel, ssrc, senderReportIntervalNanos);
    }

    /** The RTP synchronisation source of every packet and report of this stream. */
    int ssrc() {
        return ssrc;
    }

    private void countInput(AccessUnit au, long now) {
        int size = au.sizeBytes();
        accessUnitsIn++;
        bytesIn += size;
        inputRate.record(now, size);
    }
}
