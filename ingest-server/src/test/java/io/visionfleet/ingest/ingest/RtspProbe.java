package io.visionfleet.ingest.ingest;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * An RTSP reader for tests: a JavaCV grabber on the relay that decodes every frame on its own thread and keeps
 * each frame's checksum, until the stream ends or the probe is closed.
 */
public final class RtspProbe implements AutoCloseable {
    private final FFmpegFrameGrabber grabber;
    private final List<Long> checksums = new ArrayList<>();
    private final Thread thread;
    private volatile boolean closing;
    private volatile boolean ended;
    private volatile Exception failure;

    private RtspProbe(FFmpegFrameGrabber grabber) {
        this.grabber = grabber;
        this.thread = new Thread(this::read, "rtsp-probe");
        this.thread.setDaemon(true);
    }

    /** Connects to {@code url}, retrying until the relay serves it (it answers 404/503 until the stream has SPS/PPS). */
    public static RtspProbe open(String url, Duration within) {
        RtspProbe[] opened = new RtspProbe[1];
        await().atMost(within).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(url);
            grabber.setOption("rtsp_transport", "tcp");
            grabber.setOption("timeout", "5000000");
            grabber.setVideoOption("threads", "1");
            try {
                grabber.startUnsafe();
            } catch (Exception e) {
                grabber.releaseUnsafe();
                throw e;
            }
            opened[0] = new RtspProbe(grabber);
            return true;
        });
        opened[0].thread.start();
        return opened[0];
    }

    private void read() {
        try {
            while (!closing) {
                Frame frame = grabber.grabImage();
                if (frame == null) {
                    break;
                }
                long checksum = Clip.checksum(frame);
                synchronized (checksums) {
                    checksums.add(checksum);
                }
            }
        } catch (Exception e) {
            failure = e;
        } finally {
            ended = true;
            try {
                grabber.releaseUnsafe();
            } catch (Exception e) {
                failure = failure == null ? e : failure;
            }
        }
    }

    public int frames() {
        synchronized (checksums) {
            return checksums.size();
        }
    }

    public List<Long> checksums() {
        synchronized (checksums) {
            return List.copyOf(checksums);
        }
    }

    /** True once the stream ended (the relay closed it) or the read failed. */
    public boolean ended() {
        return ended;
    }

    public Exception failure() {
        return failure;
    }

    /** Waits until at least {@code count} frames were decoded. */
    public void awaitFrames(int count, Duration within) {
        await().atMost(within).until(() -> frames() >= count || ended);
        if (frames() < count) {
            throw new AssertionError("stream ended after " + frames() + " of " + count + " frames", failure);
        }
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }
}
