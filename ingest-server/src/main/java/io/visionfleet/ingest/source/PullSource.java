package io.visionfleet.ingest.source;

import io.visionfleet.common.concurrent.DaemonThreads;
import io.visionfleet.common.decode.FfmpegLogLevel;
import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.common.h264.VideoCodec;
import io.visionfleet.common.net.Backoff;
import io.visionfleet.common.net.UrlCredentials;
import io.visionfleet.ingest.feed.FeedStats;
import io.visionfleet.ingest.relay.RelayStream;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

/**
 * Feeds one relay stream from an RTSP URL or a file, on its own thread, packet by packet without decoding.
 * Files loop in real time. Any failure (unreachable, timeout, upstream gone, unsupported codec) is reported as
 * the stream's source state and retried with a doubling backoff; only {@link #stop()} ends it.
 */
public final class PullSource {
    private static final Logger LOG = Logger.getLogger(PullSource.class);

    private final SourceUrl url;
    private final RelayStream stream;
    private final FeedStats stats;
    private final SourcesConfig config;
    private final int maxNalBytes;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;
    private final PacketPacer pacer = new PacketPacer();
    private long lastCaptureTs;

    PullSource(SourceUrl url, RelayStream stream, FeedStats stats, SourcesConfig config, int maxNalBytes) {
        this.url = url;
        this.stream = stream;
        this.stats = stats;
        this.config = config;
        this.maxNalBytes = maxNalBytes;
        this.thread = DaemonThreads.thread("pull-" + stream.id(), this::run);
    }

    public RelayStream stream() {
        return stream;
    }

    FeedStats stats() {
        return stats;
    }

    void start() {
        thread.start();
    }

    /** Asks the source to stop; it does after the packet or connection attempt in progress (at most the I/O timeout). */
    void stop() {
        stopped.countDown();
    }

    /** Waits for the source's thread to release its input. */
    boolean awaitStopped(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
        return !thread.isAlive();
    }

    private boolean isStopped() {
        return stopped.getCount() == 0;
    }

    private void run() {
        Backoff backoff = new Backoff(config.reconnectInitialDelay(), config.reconnectMaxDelay());
        String lastFailure = null;
        boolean replay = false;
        while (!isStopped()) {
            String failure;
            try {
                if (!replay) {
                    stream.sourceState("connecting"); // a file played again stays playing across the loop's join
                }
                replay = false;
                // every open reads the file from its start, also after a failure mid-file
                pacer.newPass();
                if (pullOnce(backoff) && url.kind() == SourceUrl.Kind.FILE) {
                    replay = true;
                    continue; // end of file: play it again
                }
                failure = url.kind() == SourceUrl.Kind.FILE ? "file has no H.264 or H.265 packets"
                        : "upstream ended or sent nothing for " + config.ioTimeout().toSeconds() + " s";
            } catch (Exception e) {
                // FFmpeg's messages quote the input, which may hold a camera password
                failure = e.getMessage() == null ? e.getClass().getSimpleName()
                        : e.getMessage().replace(url.input(), url.redacted());
            }
            if (isStopped()) {
                break;
            }
            Duration delay = backoff.nextDelay();
            stats.reconnect(failure);
            stream.sourceState("retrying in " + delay.toSeconds() + " s: " + failure);
            if (!failure.equals(lastFailure)) {
                LOG.warnf("source %s of stream %s failed (%s); retrying with backoff", url.redacted(), stream.id(), failure);
                lastFailure = failure;
            }
            try {
                if (stopped.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        stream.sourceState("stopped");
    }

    /** Reads the input until it ends or the source is stopped; true when it delivered at least one picture. */
    private boolean pullOnce(Backoff backoff) throws Exception {
        if (UrlCredentials.loginOf(url.input()).isPresent()) {
            FfmpegLogLevel.atMostWarning(); // at INFO FFmpeg prints the URL, password included, to stderr
        }
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(url.input());
        grabber.setVideoOption("threads", "1"); // JavaCV opens a decoder it will never use here: keep it to one thread
        if (url.kind() == SourceUrl.Kind.RTSP) {
            grabber.setOption("rtsp_transport", "tcp");
            grabber.setOption("timeout", Long.toString(config.ioTimeout().toNanos() / 1000));
        }
        try {
            // the unsafe variants skip JavaCV's JVM-wide lock, so one hung camera cannot block other sources
            grabber.startUnsafe();
            int video = grabber.getVideoStream();
            if (video < 0) {
                throw new IllegalStateException("input has no video stream");
            }
            VideoCodec codec = switch (grabber.getVideoCodec()) {
                case AV_CODEC_ID_H264 -> VideoCodec.H264;
                case AV_CODEC_ID_HEVC -> VideoCodec.H265;
                default -> throw new IllegalStateException("video codec "
                        + avcodec_get_name(grabber.getVideoCodec()).getString()
                        + " is not H.264 or H.265; the relay forwards them without re-encoding");
            };
            AVCodecParameters parameters = grabber.getFormatContext().streams(video).codecpar();
            PacketConverter converter = PacketConverter.forExtradata(codec, extradata(parameters), maxNalBytes);
            AVRational timeBase = grabber.getFormatContext().streams(video).time_base();
            return relayPackets(grabber, video, converter, timeBase.num() / (double) timeBase.den(), backoff);
        } finally {
            grabber.releaseUnsafe();
        }
    }

    private boolean relayPackets(FFmpegFrameGrabber grabber, int video, PacketConverter converter,
                                 double secondsPerTick, Backoff backoff) throws Exception {
        boolean delivered = false;
        boolean malformedLogged = false;
        while (!isStopped()) {
            AVPacket packet = grabber.grabPacket();
            if (packet == null) {
                return delivered;
            }
            byte[] data;
            long decodeTicks;
            try {
                if (packet.stream_index() != video || packet.size() <= 0) {
                    continue;
                }
                data = new byte[packet.size()];
                packet.data().get(data);
                decodeTicks = packet.dts() != AV_NOPTS_VALUE ? packet.dts() : packet.pts();
            } finally {
                av_packet_unref(packet);
            }
            List<byte[]> nals;
            try {
                nals = converter.nalUnits(data);
            } catch (IllegalArgumentException e) {
                stats.malformedPacket(e.getMessage());
                if (!malformedLogged) {
                    malformedLogged = true;
                    LOG.warnf("stream %s: malformed packet from %s (%s); further ones are only counted",
                            stream.id(), url.redacted(), e.getMessage());
                }
                continue;
            }
            if (nals.isEmpty()) {
                continue;
            }
            long captureTs = url.kind() == SourceUrl.Kind.FILE ? awaitDue(decodeTicks, secondsPerTick)
                    : System.currentTimeMillis();
            if (isStopped()) {
                break;
            }
            if (!delivered) {
                delivered = true;
                backoff.reset();
                stream.sourceState("playing");
            }
            stream.publish(new AccessUnit(converter.codec(), nals, nextCaptureTs(captureTs)));
        }
        return delivered;
    }

    /**
     * Waits until a file's packet is due (or the source is stopped) and returns the time it was due: its place on
     * the file's own timeline. A busy machine wakes this thread late; the picture is still captured when the file
     * says, so the relayed timeline keeps the file's frame intervals however late the packet leaves.
     */
    private long awaitDue(long decodeTicks, double secondsPerTick) throws InterruptedException {
        long now = System.currentTimeMillis();
        if (decodeTicks == AV_NOPTS_VALUE) {
            return now;
        }
        long due = pacer.dueMs(decodeTicks * secondsPerTick, now);
        if (due > now) {
            stopped.await(due - now, TimeUnit.MILLISECONDS);
        }
        return due;
    }

    /** Strictly increasing, so every picture keeps its own RTP timestamp across reconnects and loops. */
    private long nextCaptureTs(long captureTs) {
        lastCaptureTs = Math.max(captureTs, lastCaptureTs + 1);
        return lastCaptureTs;
    }

    private static byte[] extradata(AVCodecParameters parameters) {
        byte[] extradata = new byte[Math.max(0, parameters.extradata_size())];
        if (extradata.length > 0) {
            parameters.extradata().get(extradata);
        }
        return extradata;
    }
}
