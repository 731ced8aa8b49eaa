package io.visionfleet.ingest.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.vertx.core.buffer.Buffer;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.common.h264.ParameterSets;
import io.visionfleet.ingest.relay.AccessUnitTap;
import io.visionfleet.ingest.relay.ReaderGate;

/**
 * A browser watching a stream over {@code /ws/view/{stream}}: each access unit goes out as one binary message,
 * {@code [1][flags][capture_ts: int64 big-endian][Annex-B NAL units]} (flags bit 0: key frame), preceded at the
 * first IDR (H.265: IRAP) and whenever the codec string changes by a text message
 * {@code {"type":"config","stream_id":...,"codec":"avc1.PPCCLL"}} (H.265: {@code hvc1....}, see {@link CodecString})
 * for WebCodecs' {@code VideoDecoder}; the parameter sets travel in band in front of every key picture (Annex-B format). It starts
 * at an IDR (the relay's cached GOP), and when its outbox is full it loses whole pictures up to the next IDR, exactly
 * like an RTSP reader, so the relay never waits for a browser.
 */
final class VideoViewer implements AccessUnitTap {
    static final byte ACCESS_UNIT = 1;
    static final int HEADER_BYTES = 10;
    private static final byte[] START_CODE = {0, 0, 0, 1};
    /** Going away: the stream ended; the page reconnects and waits for it. */
    private static final int STREAM_ENDED = 1001;

    private final String streamId;
    private final Outbox outbox;
    private final ReaderGate gate = new ReaderGate();
    private String codec;
    private long sent;

    VideoViewer(String streamId, Outbox outbox) {
        this.streamId = streamId;
        this.outbox = outbox;
    }

    @Override
    public void accessUnit(AccessUnit au, boolean idr) {
        int size = HEADER_BYTES + au.sizeBytes() + START_CODE.length * au.nalUnits().size();
        if (!gate.admit(idr, outbox.hasRoom(size))) {
            return;
        }
        if (idr) {
            announce(au);
        }
        Buffer message = Buffer.buffer(size).appendByte(ACCESS_UNIT).appendByte((byte) (idr ? 1 : 0))
                .appendLong(au.captureTs());
        for (byte[] nal : au.nalUnits()) {
            message.appendBytes(START_CODE).appendBytes(nal);
        }
        outbox.sendBinary(message);
        sent++;
    }

    @Override
    public void closed() {
        outbox.close(STREAM_ENDED, "stream " + streamId + " ended");
    }

    /** Pictures lost to a full outbox after the first one. */
    long dropped() {
        return gate.dropped();
    }

    long sent() {
        return sent;
    }

    /** Tells the page the codec when it is new; an IRAP that lacks a parameter set or a readable SPS says nothing. */
    private void announce(AccessUnit idr) {
        ParameterSets sets = ParameterSets.update(null, idr);
        String current = sets == null ? null : CodecString.of(sets);
        if (current != null && !current.equals(codec)) {
            codec = current;
            outbox.sendText(configJson(streamId, codec));
        }
    }

    static String configJson(String streamId, String codec) {
        try {
            return Json.MAPPER.writeValueAsString(new CodecConfig("config", streamId, codec));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record of three strings always serialises", e);
        }
    }

    /** The text message that tells the page which decoder to configure. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CodecConfig(String type, String streamId, String codec) {
    }
}
