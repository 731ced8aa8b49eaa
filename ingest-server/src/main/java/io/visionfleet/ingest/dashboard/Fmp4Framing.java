package io.visionfleet.ingest.dashboard;

import io.vertx.core.buffer.Buffer;
import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.common.h264.ParameterSets;
import io.visionfleet.ingest.fmp4.Fmp4Muxer;
import org.jboss.logging.Logger;

/**
 * Pictures for Media Source Extensions, as fragmented MP4 ({@link Fmp4Muxer}): at the first IRAP and whenever the
 * parameter sets change, the config text ({@code "format":"fmp4"}, the codec string, the size and {@code base_ts},
 * the capture time that presentation time 0 stands for) and {@code [2][initialization segment]}; then one
 * {@code [3][flags][capture_ts][moof mdat]} per picture. A player appends the bytes after the header to its
 * SourceBuffer and maps a shown picture back to its capture_ts as {@code base_ts + presentation time in ms}.
 */
final class Fmp4Framing implements PictureFraming {
    static final String FORMAT = "fmp4";
    private static final Logger LOG = Logger.getLogger(Fmp4Framing.class);
    /** moof with one trun entry, mdat header. */
    private static final int FRAGMENT_OVERHEAD = 128;

    private final Fmp4Muxer muxer = new Fmp4Muxer();
    private boolean initialized;

    @Override
    public String format() {
        return FORMAT;
    }

    /** An IRAP without all parameter sets announces nothing; one whose SPS is malformed stops pictures until a good one. */
    @Override
    public void announce(String streamId, AccessUnit irap, Outbox outbox) {
        byte[] init;
        try {
            init = muxer.initFor(irap);
        } catch (IllegalArgumentException malformed) {
            if (initialized) {
                LOG.infof("stream %s: no MP4 for viewer %s: %s", streamId, outbox.id(), malformed.getMessage());
            }
            initialized = false;
            return;
        }
        if (init == null) {
            return;
        }
        initialized = true;
        String codec = CodecString.of(ParameterSets.update(null, irap));
        outbox.sendText(ViewerConfig.fmp4(streamId, codec, muxer.width(), muxer.height(), muxer.baseTs()).json());
        outbox.sendBinary(Buffer.buffer(init.length + 1).appendByte(INIT_SEGMENT).appendBytes(init));
    }

    @Override
    public int sizeBound(AccessUnit au) {
        return PICTURE_HEADER_BYTES + FRAGMENT_OVERHEAD + au.sizeBytes() + 4 * au.nalUnits().size();
    }

    @Override
    public Buffer picture(AccessUnit au, boolean key) {
        if (!initialized) {
            return null;
        }
        byte[] fragment = muxer.fragment(au, key);
        return PictureFraming.header(FRAGMENT, au, key, PICTURE_HEADER_BYTES + fragment.length).appendBytes(fragment);
    }
}
