package io.visionfleet.ingest.relay;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JavaCV reader of the relay, as the fleet's consumers read it: decodes every picture on its own thread and
 * records its capture time (from the RTCP anchor: {@code start_time_realtime} plus the frame's pts), its digest
 * and when it arrived.
 */
final class GrabberReader implements AutoCloseable {
    record Picture(long captureMs, String digest, long receivedNanos) {
    }

    private final FFmpegFrameGrabber grabber;
    private final List<Picture> pictures = new ArrayList<>();
    private final Thread thread;
    private volatile boolean closing;
    private volatile Exception failure;

    private GrabberReader(FFmpegFrameGrabber grabber) {
        this.grabber = grabber;
        this.thread = new Thread(this::read, "grabber-reader");
        thread.setDaemon(true);
    }

    /** Connects and starts decoding; returns once the demuxer is open. */
    static GrabberReader open(String url) throws Exception {
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(url);
        grabber.setOption("rtsp_transport", "tcp");
        grabber.setOption("timeout", "5000000");
        grabber.setVideoOption("threads", "1");
        grabber.startUnsafe();
        GrabberReader reader = new GrabberReader(grabber);
        reader.thread.start();
        return reader;
    }

    private void read() {
        try {
            while (!closing) {
                Frame frame = grabber.grabImage();
                if (frame == null) {
                    break;
                }
                long captureMs = grabber.getFormatContext().start_time_realtime() / 1000 + frame.timestamp / 1000;
                Picture picture = new Picture(captureMs, RelayClip.digest(frame), System.nanoTime());
                synchronized (pictures) {
                    pictures.add(picture);
                }
            }
        } catch (Exception e) {
            failure = e;
        } finally {
            try {
                grabber.releaseUnsafe();
            } catch (Exception e) {
                failure = failure == null ? e : failure;
            }
        }
    }

    int count() {
        synchronized (pictures) {
            return pictures.size();
        }
    }

    List<Picture> pictures() {
        synchronized (pictures) {
            return List.copyOf(pictures);
        }
    }

    Exception failure() {
        return failure;
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }
}
