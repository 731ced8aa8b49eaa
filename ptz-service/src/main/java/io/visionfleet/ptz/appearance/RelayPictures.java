package io.visionfleet.ptz.appearance;

import jakarta.enterprise.context.ApplicationScoped;
import org.bytedeco.javacv.Frame;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The picture rings fed from the relay, by stream: the RTSP consumer hands every decoded picture here, and the rings
 * of cameras that are not simulated take them. Streams of simulated cameras are not registered (their own rendering
 * feeds their ring), so decoded pictures of them, or of any other stream, are ignored.
 */
@ApplicationScoped
public class RelayPictures {
    private final Map<String, PictureRing> byStream = new ConcurrentHashMap<>();

    public void register(String stream, PictureRing ring) {
        byStream.put(stream, ring);
    }

    /** Whether a camera takes its pictures of {@code stream} from the relay. */
    public boolean wants(String stream) {
        return byStream.containsKey(stream);
    }

    /** One decoded picture of {@code stream}, valid only during the call. */
    public void offer(String stream, long captureTs, Frame bgr) {
        PictureRing ring = byStream.get(stream);
        if (ring != null) {
            ring.put(captureTs, bgr);
        }
    }
}
