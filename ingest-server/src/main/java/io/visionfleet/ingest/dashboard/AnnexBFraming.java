package io.visionfleet.ingest.dashboard;

import io.vertx.core.buffer.Buffer;
import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.common.h264.ParameterSets;

/**
 * Pictures for WebCodecs' {@code VideoDecoder}: {@code [1][flags][capture_ts][Annex-B NAL units]}, the parameter sets
 * in band in front of every key picture; the codec string ({@link CodecString}) is announced as
 * {@code {"type":"config","stream_id":...,"codec":"avc1.PPCCLL"}} at the first IRAP and whenever it changes.
 */
final class AnnexBFraming implements PictureFraming {
    static final String FORMAT = "annexb";
    private static final byte[] START_CODE = {0, 0, 0, 1};

    private String codec;

    @Override
    public String format() {
        return FORMAT;
    }

    /** An IRAP that lacks a parameter set or a readable SPS announces nothing. */
    @Override
    public void announce(String streamId, AccessUnit irap, Outbox outbox) {
        ParameterSets sets = ParameterSets.update(null, irap);
        String current = sets == null ? null : CodecString.of(sets);
        if (current != null && !current.equals(codec)) {
            codec = current;
            outbox.sendText(ViewerConfig.of(streamId, codec).json());
        }
    }

    @Override
    public int sizeBound(AccessUnit au) {
        return PICTURE_HEADER_BYTES + au.sizeBytes() + START_CODE.length * au.nalUnits().size();
    }

    @Override
    public Buffer picture(AccessUnit au, boolean key) {
        Buffer message = PictureFraming.header(ANNEX_B_PICTURE, au, key, sizeBound(au));
        for (byte[] nal : au.nalUnits()) {
            message.appendBytes(START_CODE).appendBytes(nal);
        }
        return message;
    }
}
