package io.visionfleet.ingest.testing;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A JavaCV reader of the relay, as the fleet's consumers read it: decodes every picture on its own thread and
 * records its capture time (from the RTCP anchor: {@code start_time_realtime} plus the frame's pts), its digest
 * and when it was decoded, until the stream ends or the reader is closed.
 */
public final class RtspReader implements AutoCloseable {
    /** One decoded picture; {@code decodedMs} is on the clock of capture times (epoch ms). */
    public record Picture(long captureTs, String digest, long decodedMs) {
    }

    private final FFmpegFrameGrabber grabber;
    private final List<Picture> pictures = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean closing;
    private volatile boolean ended;
    private volatile Exception failure;

    private RtspReader(FFmpegFrameGrabber grabber) {
        this.grabber = grabber;
        this.thread = new Thread(this::read, "rtsp-reader");
        thread.setDaemon(true);
        thread.start();
    }

    /** Connects and starts decoding; returns once the demuxer is open, fails if the relay does not serve {@code url}. */
    public static RtspReader open(String url) throws Exception {
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
        return new RtspReader(grabber);
    }

    /** Connects to {@code url}, retrying until the relay serves it (it answers 404/503 until the stream has SPS/PPS). */
    public static RtspReader openWhenServed(String url, Duration within) {
        RtspReader[] opened = new RtspReader[1];
        await().atMost(within).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> (opened[0] = open(url)) != null);
        return opened[0];
    }

    private void read() {
        try {
            while (!closing) {
                Frame frame = grabber.grabImage();
                if (frame == null) {
                    break;
                }
                long captureTs = grabber.getFormatContext().start_time_realtime() / 1000 + frame.timestamp / 1000;
                pictures.add(new Picture(captureTs, ReferenceClip.digest(frame), System.currentTimeMillis()));
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

    public int count() {
        return pictures.size();
    }

    public List<Picture> pictures() {
        return List.copyOf(pictures);
    }

    public List<String> digests() {
        return pictures.stream().map(Picture::digest).toList();
    }

    /** True once the stream ended (the relay closed it) or the read failed. */
    public boolean ended() {
        return ended;
    }

    public Exception failure() {
        return failure;
    }

    /** Waits until at least {@code count} pictures were decoded; fails at once when the stream ends short of them. */
    public void awaitPictures(int count, Duration within) {
        await().atMost(within).until(() -> count() >= count || ended);
        if (count() < count) {
            throw new AssertionError("stream ended after " + count() + " of " + count + " pictures", failure);
        }
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }
}
