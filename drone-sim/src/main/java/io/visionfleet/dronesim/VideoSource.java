package io.visionfleet.dronesim;

import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.common.h264.AccessUnitAssembler;
import io.visionfleet.common.h264.NalSplitter;
import io.visionfleet.sim.scene.SyntheticVideo;
import org.jboss.logging.Logger;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;

/**
 * The drone's camera: the access units of an Annex-B stream, released one per frame interval by a
 * {@link Pacer} and stamped with the wall-clock time of their slot, as a live encoder emits them. The stream
 * is read incrementally, so a long file is never held in memory, and reopened at its end when looping.
 */
final class VideoSource implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(VideoSource.class);
    private static final int READ_BYTES = 64 * 1024;
    /** Far above any real picture; a bound so that a corrupt file cannot grow one NAL unit without limit. */
    private static final int MAX_NAL_BYTES = 32 << 20;
    /** A send stalled longer than this re-anchors the frame clock rather than bursting the missed frames. */
    static final long MAX_LAG_NANOS = 1_000_000_000L;

    /** Opens the stream again for each pass. */
    @FunctionalInterface
    interface Opener {
        InputStream open() throws IOException;
    }

    private final String description;
    private final Opener opener;
    private final VideoFormat format;
    private final boolean loop;
    private final Pacer pacer;
    private final Path temporary;
    private final ArrayDeque<AccessUnit> ready = new ArrayDeque<>();
    private final byte[] buffer = new byte[READ_BYTES];
    private InputStream in;
    private NalSplitter splitter;
    private AccessUnitAssembler assembler;
    private long passes;
    private long unitsThisPass;

    VideoSource(String description, Opener opener, VideoFormat format, boolean loop, Pacer.Clock clock, Path temporary) {
        this.description = description;
        this.opener = opener;
        this.format = format;
        this.loop = loop;
        this.pacer = new Pacer(format.fps(), MAX_LAG_NANOS, clock);
        this.temporary = temporary;
    }

    /** A clip of the synthetic scene, encoded once and replayed. */
    static VideoSource synthetic(VideoFormat format, int gopFrames, int clipFrames, boolean loop, Pacer.Clock clock) {
        int nominalFps = (int) Math.max(1, Math.round(format.fps()));
        long started = System.nanoTime();
        byte[] clip = SyntheticVideo.h264(format.width(), format.height(), nominalFps, gopFrames, clipFrames);
        LOG.infof("synthetic scene %dx%d, %d frames, IDR every %d, encoded in %d ms (%d kB)", format.width(),
                format.height(), clipFrames, gopFrames, (System.nanoTime() - started) / 1_000_000, clip.length / 1024);
        return new VideoSource("synthetic scene", () -> new ByteArrayInputStream(clip), format, loop, clock, null);
    }

    /**
     * A video file: raw Annex-B is streamed as is, a container is remuxed to a temporary Annex-B file first.
     * {@code fps} overrides the file's rate; a raw stream, which has no rate of its own, plays at
     * {@code defaultFps} without it.
     */
    static VideoSource file(Path file, Double fps, double defaultFps, boolean loop, Pacer.Clock clock) throws IOException {
        VideoFile.Probe probe = VideoFile.probe(file);
        double rate = fps != null ? fps : probe.fps() > 0 ? probe.fps() : defaultFps;
        VideoFormat format = new VideoFormat(probe.codec(), probe.width(), probe.height(), rate);
        Path annexB = file;
        Path temporary = null;
        if (!probe.isRawAnnexB()) {
            temporary = Files.createTempFile("drone-sim-", ".annexb");
            try {
                VideoFile.remuxToAnnexB(file, probe.codec(), temporary);
            } catch (IOException e) {
                Files.deleteIfExists(temporary);
                throw e;
            }
            annexB = temporary;
        }
        LOG.infof("file %s (%s, %s): %dx%d at %.3f fps", file, probe.container(), probe.codec(), format.width(),
                format.height(), rate);
        Path stream = annexB;
        return new VideoSource(file.toString(), () -> Files.newInputStream(stream), format, loop, clock, temporary);
    }

    VideoFormat format() {
        return format;
    }

    /**
     * Waits for the next frame's slot and returns its access unit stamped with the wall-clock time of that slot;
     * null at the end of a source that does not loop, or when the run stops.
     *
     * @throws IOException when the stream cannot be read or holds no H.264 or H.265 pictures
     */
    AccessUnit next() throws IOException {
        AccessUnit au = read();
        long slot = au == null ? -1 : pacer.awaitNext();
        if (slot < 0) {
            return null;
        }
        // the slot's time, not the release's: a read or send that ran late must not bunch capture times together
        return au.withCaptureTs(pacer.epochMillis(slot));
    }

    /** Starts the frame clock over: the next frame is due one frame interval from now. */
    void restartClock() {
        pacer.restart();
    }

    private AccessUnit read() throws IOException {
        while (ready.isEmpty()) {
            if (in == null && !startPass()) {
                return null;
            }
            int n = in.read(buffer);
            if (n < 0) {
                endPass();
            } else {
                splitter.feed(buffer, 0, n, 0);
            }
        }
        return ready.poll();
    }

    private boolean startPass() throws IOException {
        if (passes > 0 && !loop) {
            return false;
        }
        in = opener.open();
        assembler = new AccessUnitAssembler(au -> {
            ready.add(au);
            unitsThisPass++;
        });
        assembler.declare(format.codec());
        splitter = new NalSplitter(MAX_NAL_BYTES, assembler::accept);
        unitsThisPass = 0;
        passes++;
        return true;
    }

    private void endPass() throws IOException {
        splitter.flush();
        assembler.flush();
        in.close();
        in = null;
        if (unitsThisPass == 0) {
            throw new IOException(description + " holds no H.264 or H.265 pictures");
        }
        if (passes == 1 && splitter.droppedNals() > 0) {
            LOG.warnf("%s: %d malformed or oversized NAL units skipped", description, splitter.droppedNals());
        }
        LOG.debugf("%s: pass %d done, %d frames", description, passes, unitsThisPass);
    }

    @Override
    public void close() throws IOException {
        if (in != null) {
            in.close();
            in = null;
        }
        if (temporary != null) {
            Files.deleteIfExists(temporary);
        }
    }
}
