package io.visionfleet.common.rtsp;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * FFmpeg reading a relay stream with its defaults (JavaCV, RTSP over TCP, as many decoder frame threads as cores): the
 * reference a benchmark sets beside the fleet's figures in the same run. It records, while measuring, capture →
 * decoded for every picture, or capture → demuxed when it only reads packets (what FFmpeg's H.264 parser holds before
 * any decoding: a picture ends when the next one's first packet arrives). Capture times come from the relay's RTCP
 * sender reports, as every service recovers them.
 */
public final class FfmpegRelayReference implements AutoCloseable {
    private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean measuring = new AtomicBoolean();
    private final AtomicBoolean done = new AtomicBoolean();
    private final AtomicLong timed = new AtomicLong();
    private final Thread reader;

    private FfmpegRelayReference(String url, boolean decode) {
        reader = new Thread(() -> read(url, decode), "ffmpeg-reference");
        reader.setDaemon(true);
        reader.start();
    }

    /** FFmpeg decoding {@code url}: capture → decoded. */
    public static FfmpegRelayReference decoding(String url) {
        return new FfmpegRelayReference(url, true);
    }

    /** FFmpeg's demuxer alone on {@code url}: capture → the picture's packet, not decoded. */
    public static FfmpegRelayReference demuxing(String url) {
        return new FfmpegRelayReference(url, false);
    }

    /** Starts or stops recording (the reader keeps reading either way, so a window starts warm). */
    public void measuring(boolean on) {
        measuring.set(on);
    }

    /** Pictures read with a capture time so far, measured or not: above 0, the reader is warm. */
    public long timedPictures() {
        return timed.get();
    }

    /** The latencies recorded so far, ms. */
    public List<Long> latencies() {
        synchronized (latencies) {
            return new ArrayList<>(latencies);
        }
    }

    /** "p50 / p95 / p99 ms (n pictures)" of what was recorded. */
    public String summary() {
        List<Long> sorted = latencies();
        if (sorted.isEmpty()) {
            return "no pictures";
        }
        Collections.sort(sorted);
        return String.format("%d / %d / %d ms (%d pictures)", percentile(sorted, 0.50), percentile(sorted, 0.95),
                percentile(sorted, 0.99), sorted.size());
    }

    /** The {@code q} quantile of {@code sorted} (nearest rank). */
    public static long percentile(List<Long> sorted, double q) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.round(q * (sorted.size() - 1))));
    }

    @Override
    public void close() throws InterruptedException {
        done.set(true);
        reader.join(10_000);
    }

    private void read(String url, boolean decode) {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(url)) {
            grabber.setOption("rtsp_transport", "tcp");
            grabber.setOption("timeout", "5000000");
            grabber.start();
            if (decode) {
                for (Frame frame; !done.get() && (frame = grabber.grabImage()) != null; ) {
                    record(grabber, frame.timestamp);
                }
                return;
            }
            AVRational timeBase = grabber.getFormatContext().streams(grabber.getVideoStream()).time_base();
            for (AVPacket packet; !done.get() && (packet = grabber.grabPacket()) != null; ) {
                if (packet.stream_index() == grabber.getVideoStream() && packet.pts() != avutil.AV_NOPTS_VALUE) {
                    record(grabber, CaptureClock.ptsMicros(packet.pts(), timeBase.num(), timeBase.den()));
                }
                avcodec.av_packet_unref(packet);
            }
        } catch (Exception e) {
            System.err.println("FFmpeg reference reader of " + url.replaceAll("//[^@/]*@", "//") + ": " + e);
        }
    }

    /** Now minus the capture time of the picture at {@code ptsUs}, once the relay's sender report came. */
    private void record(FFmpegFrameGrabber grabber, long ptsUs) {
        long now = System.currentTimeMillis();
        long anchor = grabber.getFormatContext().start_time_realtime();
        if (!CaptureClock.hasRealtimeAnchor(anchor)) {
            return;
        }
        timed.incrementAndGet();
        if (measuring.get()) {
            latencies.add(now - CaptureClock.captureTs(anchor, ptsUs));
        }
    }
}
