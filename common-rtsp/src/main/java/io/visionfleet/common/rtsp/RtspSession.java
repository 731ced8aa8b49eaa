package io.visionfleet.common.rtsp;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

import java.time.Duration;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_HTTP_SERVER_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

/**
 * One RTSP session with the relay through {@link FFmpegFrameGrabber}, set up for low latency. It is opened and
 * released with the "unsafe" variants: the plain ones hold a JVM-wide lock on {@code avcodec.class}, so one
 * connect hanging on a dead host would block every other stream's connect and release.
 */
public final class RtspSession implements PictureSession {
    /** Bytes FFmpeg may read to find the stream parameters; the relay's SDP already carries SPS and PPS. */
    private static final String PROBE_BYTES = "65536";
    /** Microseconds of stream FFmpeg may analyse before the first frame is handed out. */
    private static final String ANALYZE_US = "500000";

    private final FFmpegFrameGrabber grabber;
    private int videoStream = -1;
    private int timeBaseNum;
    private int timeBaseDen;

    private RtspSession(String url, Duration ioTimeout) {
        grabber = new FFmpegFrameGrabber(url);
        grabber.setOption("rtsp_transport", "tcp");
        // socket I/O timeout in microseconds: without it a read from a silent peer blocks forever
        grabber.setOption("timeout", Long.toString(ioTimeout.toNanos() / 1000));
        // no fflags=nobuffer: it discards the packets read while probing, which are the relay's cached GOP, and
        // the first picture would then wait for the next IDR (up to a GOP); buffered, they are decoded at once
        grabber.setOption("probesize", PROBE_BYTES);
        grabber.setOption("analyzeduration", ANALYZE_US);
        // the frame rate is not needed, so probing ends with the first decodable picture instead of 20 of them
        grabber.setOption("fpsprobesize", "0");
        grabber.setVideoOption("flags", "low_delay");
        // frame threading delays every picture by one frame per extra thread
        grabber.setVideoOption("threads", "1");
    }

    /** Opens a session; on failure what was opened is released. */
    public static RtspSession open(String url, Duration ioTimeout) throws FrameGrabber.Exception {
        RtspSession session = new RtspSession(url, ioTimeout);
        try {
            session.start();
            return session;
        } catch (FrameGrabber.Exception | RuntimeException e) {
            try {
                session.close();
            } catch (FrameGrabber.Exception | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void start() throws FrameGrabber.Exception {
        grabber.startUnsafe();
        videoStream = grabber.getVideoStream();
        if (videoStream < 0) {
            throw new FrameGrabber.Exception("no video stream in " + grabber.getFormat());
        }
        AVStream stream = grabber.getFormatContext().streams(videoStream);
        timeBaseNum = stream.time_base().num();
        timeBaseDen = stream.time_base().den();
    }

    /**
     * Whether a failed open was the server's 5xx answer, which the relay gives a stream it knows but cannot
     * play yet (no SPS/PPS). JavaCV puts FFmpeg's error code in the message: {@code avformat_open_input() error -N: ...}.
     * A relay at its connection limit answers 503 too; the quick retries that follow are bounded in time.
     */
    public static boolean notReadyYet(Exception openFailure) {
        if (openFailure instanceof RtspStatusException answer) {
            return answer.status() >= 500;
        }
        return String.valueOf(openFailure.getMessage()).contains("error " + AVERROR_HTTP_SERVER_ERROR() + ":");
    }

    @Override
    public Frame grabImage() throws FrameGrabber.Exception {
        return grabber.grabImage();
    }

    /**
     * The next packet of the video stream, or null at end of stream or after an I/O timeout. It is the grabber's
     * own packet: the caller must {@code av_packet_unref} it before the next grab. Packets of other streams
     * are released here.
     */
    public AVPacket grabVideoPacket() throws FrameGrabber.Exception {
        while (true) {
            AVPacket packet = grabber.grabPacket();
            if (packet == null || packet.stream_index() == videoStream) {
                return packet;
            }
            av_packet_unref(packet);
        }
    }

    /** Presentation time of a packet in microseconds (its dts when it carries no pts). */
    public long packetPtsMicros(AVPacket packet) {
        long pts = packet.pts() != AV_NOPTS_VALUE ? packet.pts() : packet.dts();
        return CaptureClock.ptsMicros(pts, timeBaseNum, timeBaseDen);
    }

    @Override
    public long startTimeRealtimeUs() {
        return grabber.getFormatContext().start_time_realtime();
    }

    @Override
    public AVFormatContext formatContext() {
        return grabber.getFormatContext();
    }

    @Override
    public void close() throws FrameGrabber.Exception {
        grabber.releaseUnsafe();
    }
}
