package io.visionfleet.sim.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.common.h264.ParameterSets;
import io.visionfleet.common.h264.VideoCodec;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Sends access units on an ingest server's {@code /ws/video/{id}} as Annex-B binary messages: one message per access
 * unit or, with a chunk size, pieces of 1..chunk bytes cut at pseudo-random offsets (inside NAL units and start codes
 * too) to exercise the server's reassembly. Each access unit is preceded by an {@code access_unit} text message with
 * its capture time, so that the server keeps the camera's timing even when the network delays and then bursts the
 * pictures, and its length, so that the server relays it as soon as its last byte arrived rather than when the next
 * picture begins. Each send completes before the next starts.
 *
 * <p>A new connection is a new session on the server: it gets the optional {@code video_config} text first and starts
 * at an IDR (H.265: an IRAP) with its parameter sets in front, since a decoder cannot start anywhere else. Units offered while the link is down,
 * or before that IDR, are dropped, as a live camera's would be. Not thread-safe: one sending thread.
 */
public final class AnnexBSender {
    private static final byte[] START_CODE = {0, 0, 0, 1};

    private final WsLink link;
    private final int chunkBytes;
    private final Supplier<String> configJson;
    private ParameterSets parameterSets;
    /** Fixed seed: a run's chunk boundaries are reproducible. */
    private final SplittableRandom random = new SplittableRandom(0x5eed);
    private WebSocket session;

    /**
     * @param chunkBytes largest piece per message, 0 for one message per access unit
     * @param configJson the {@code video_config} message sent at the start of each session, or null for none
     */
    public AnnexBSender(WsLink link, int chunkBytes, Supplier<String> configJson) {
        this.link = link;
        this.chunkBytes = chunkBytes;
        this.configJson = configJson;
    }

    /** The {@code video_config} control message the ingest server understands. */
    public static String configJson(int width, int height, double fps, VideoCodec codec) {
        return json(new VideoConfig("video_config", width, height, fps, codec == VideoCodec.H265 ? "h265" : "h264"));
    }

    /**
     * The {@code access_unit} control message: the capture time (epoch ms) and Annex-B length of the access unit
     * that follows it.
     */
    public static String accessUnitJson(long captureTs, int bytes) {
        return json(new AccessUnitAnnouncement("access_unit", captureTs, bytes));
    }

    record VideoConfig(String type, int width, int height, double fps, String codec) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record AccessUnitAnnouncement(String type, long captureTs, int bytes) {
    }

    private static String json(Object message) {
        try {
            return Json.MAPPER.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record of numbers and strings always serialises", e);
        }
    }

    /**
     * Sends one access unit.
     *
     * @return the binary messages it took and its size in bytes, or null when it was dropped
     */
    public Sent send(AccessUnit au) {
        parameterSets = ParameterSets.update(parameterSets, au);
        WebSocket ws = link.current();
        if (ws != session || ws == null) {
            session = null;
            if (ws == null || !au.isIdr() || !startSession(ws)) {
                return null;
            }
            session = ws;
            au = parameterSets == null ? au : parameterSets.completing(au);
        }
        byte[] bytes = annexB(au);
        String announce = accessUnitJson(au.captureTs(), bytes.length);
        if (!link.send(ws, w -> w.sendText(announce, true))) {
            return null;
        }
        int messages = sendBytes(ws, bytes);
        return messages > 0 ? new Sent(bytes.length, messages) : null;
    }

    /** What one access unit took on the wire. */
    public record Sent(int bytes, int messages) {
    }

    private boolean startSession(WebSocket ws) {
        return configJson == null || link.send(ws, w -> w.sendText(configJson.get(), true));
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

    /** The access unit as an Annex-B byte stream (a 4-byte start code before each NAL unit). */
    public static byte[] annexB(AccessUnit au) {
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
