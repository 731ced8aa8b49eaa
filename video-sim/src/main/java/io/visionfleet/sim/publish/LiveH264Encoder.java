package io.visionfleet.sim.publish;

import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.common.h264.AccessUnitAssembler;
import io.visionfleet.common.h264.NalSplitter;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes pictures one at a time into H.264 access units as a live camera does (OpenH264 through the bundled FFmpeg:
 * no B-frames, no look-ahead, so each picture comes out as soon as it goes in). The raw Annex-B muxer writes into
 * memory and flushes every packet, so each {@link #encode} returns exactly the access unit of its picture.
 */
public final class LiveH264Encoder implements AutoCloseable {
    /** Far above any picture this encoder makes; bounds a NAL unit should the muxer ever misbehave. */
    private static final int MAX_NAL_BYTES = 16 << 20;

    private final int width;
    private final int height;
    private final FFmpegFrameRecorder recorder;
    private final Frame frame;
    private final List<AccessUnit> out = new ArrayList<>(1);
    private final NalSplitter splitter;
    private final AccessUnitAssembler assembler;

    public LiveH264Encoder(int width, int height, double fps, int gopFrames) {
        this.width = width;
        this.height = height;
        this.assembler = new AccessUnitAssembler(out::add);
        this.splitter = new NalSplitter(MAX_NAL_BYTES, assembler::accept);
        OutputStream sink = new OutputStream() {
            @Override
            public void write(int b) {
                splitter.feed(new byte[]{(byte) b}, 0, 1, 0);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                splitter.feed(b, off, len, 0);
            }
        };
        recorder = new FFmpegFrameRecorder(sink, width, height, 0);
        recorder.setFormat("h264");
        recorder.setVideoCodecName("libopenh264");
        recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        recorder.setFrameRate(fps);
        recorder.setGopSize(gopFrames);
        recorder.setVideoBitrate(Math.max(300_000, (int) (width * height * fps / 6)));
        recorder.setVideoOption("allow_skip_frames", "0");
        recorder.setOption("flush_packets", "1");
        frame = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
        avutil.av_log_set_level(avutil.AV_LOG_ERROR); // the encoder warns on every start about rate control we do not use
        try {
            recorder.start();
        } catch (FrameRecorder.Exception e) {
            frame.close();
            throw new IllegalStateException("cannot start the H.264 encoder: " + e.getMessage(), e);
        }
    }

    /**
     * Encodes one packed BGR24 picture (width*height*3 bytes) and returns its access unit stamped with {@code captureTs},
     * or null if the encoder produced nothing for it.
     */
    public AccessUnit encode(byte[] bgr, long captureTs) {
        ByteBuffer pixels = (ByteBuffer) frame.image[0];
        int rowBytes = width * 3;
        for (int y = 0; y < height; y++) {
            pixels.position(y * frame.imageStride);
            pixels.put(bgr, y * rowBytes, rowBytes);
        }
        pixels.rewind();
        try {
            recorder.record(frame, avutil.AV_PIX_FMT_BGR24);
        } catch (FrameRecorder.Exception e) {
            throw new IllegalStateException("encoding a picture failed: " + e.getMessage(), e);
        }
        // the muxer flushed the whole packet: end its last NAL unit and its access unit now, not at the next picture
        splitter.flush();
        assembler.flush();
        AccessUnit au = out.isEmpty() ? null : out.remove(out.size() - 1).withCaptureTs(captureTs);
        out.clear();
        return au;
    }

    @Override
    public void close() {
        try {
            recorder.close();
        } catch (FrameRecorder.Exception e) {
            // closing after an encoder error: nothing left to save
        } finally {
            frame.close();
        }
    }
}
