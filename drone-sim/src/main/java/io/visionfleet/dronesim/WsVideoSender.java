package io.visionfleet.dronesim;

import io.visionfleet.common.h264.AccessUnit;

import java.io.IOException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * Sends the camera's access units on {@code /ws/video/{id}} as Annex-B binary messages: one message per
 * access unit or, with a chunk size, pieces of 1..chunk bytes cut at pseudo-random offsets (inside NAL units
 * and start codes too) to exercise the server's reassembly. Each send completes before the next starts.
 *
 * <p>Frames keep coming while the link is down and are dropped, as a live camera's would be. A new connection
 * is a new session on the server: it gets the optional {@code video_config} first and starts at an IDR with
 * SPS/PPS in front, since a decoder cannot start anywhere else.
 */
final class WsVideoSender {
    private static final byte[] START_CODE = {0, 0, 0, 1};

    private final WsLink link;
    private final VideoSource source;
    private final int chunkBytes;
    private final boolean sendConfig;
    private final SendStats stats;
    private final ParameterSets parameterSets = new ParameterSets();
    /** Fixed seed: a run's chunk boundaries are reproducible. */
    private final SplittableRandom random = new SplittableRandom(0x5eed);

    WsVideoSender(WsLink link, VideoSource source, int chunkBytes, boolean sendConfig, SendStats stats) {
        this.link = link;
        this.source = source;
        this.chunkBytes = chunkBytes;
        this.sendConfig = sendConfig;
        this.stats = stats;
    }

    /** Sends until the source ends or the run stops; the camera starts once the server is first reached. */
    void run() throws IOException {
        if (!link.awaitFirstConnection()) {
            return;
        }
        WebSocket session = null;
        for (AccessUnit au; (au = source.next()) != null; ) {
            parameterSets.remember(au);
            WebSocket ws = link.current();
            if (ws != session || ws == null) {
                session = null;
                if (ws == null || !au.isIdr() || !startSession(ws)) {
                    stats.frameDropped();
                    continue;
                }
                session = ws;
                au = parameterSets.completing(au);
            }
            byte[] bytes = annexB(au);
            int sent = sendBytes(ws, bytes);
            if (sent > 0) {
                stats.frameSent(bytes.length, sent);
            } else {
                stats.frameDropped();
            }
        }
    }

    private boolean startSession(WebSocket ws) {
        return !sendConfig || link.send(ws, w -> w.sendText(source.format().configJson(), true));
    }

    /** @return the number of messages sent, 0 when the connection failed */
    private int sendBytes(WebSocket ws, byte[] bytes) {
        if (chunkBytes <= 0) {
            return link.send(ws, w -> w.sendBinary(ByteBuffer.wrap(bytes), true)) ? 1 : 0;
        }
        int count = 0;
        for (int offset = 0; offset < bytes.length; count++) {
            int length = Math.min(bytes.length - offset, 1 + random.nextInt(chunkBytes));
            ByteBuffer piece = ByteBuffer.wrap(bytes, offset, length);
            if (!link.send(ws, w -> w.sendBinary(piece, true))) {
                return 0;
            }
            offset += length;
        }
        return count;
    }

    static byte[] annexB(AccessUnit au) {
        byte[] bytes = new byte[au.sizeBytes() + START_CODE.length * au.nalUnits().size()];
        int p = 0;
        for (byte[] nal : au.nalUnits()) {
            System.arraycopy(START_CODE, 0, bytes, p, START_CODE.length);
            p += START_CODE.length;
            System.arraycopy(nal, 0, bytes, p, nal.length);
            p += nal.length;
        }
        return bytes;
    }
}
