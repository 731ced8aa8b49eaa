package io.visionfleet.ingest.dashboard;

import io.vertx.core.buffer.Buffer;
import io.visionfleet.common.h264.AccessUnit;

/**
 * How a viewer socket puts a stream's pictures into messages: Annex-B for WebCodecs ({@link AnnexBFraming}) or
 * fragmented MP4 for Media Source Extensions ({@link Fmp4Framing}). One instance per viewer: it remembers what it
 * announced.
 */
interface PictureFraming {
    /** Binary message types, the first byte of each. */
    byte ANNEX_B_PICTURE = 1;
    byte INIT_SEGMENT = 2;
    byte FRAGMENT = 3;
    /** Type, flags (bit 0: key picture), capture_ts as int64 big-endian. */
    int PICTURE_HEADER_BYTES = 10;

    /** The {@code format} query value that picks this framing. */
    String format();

    /** Sends what the viewer needs before random access point {@code irap} when the stream's configuration is new to it. */
    void announce(String streamId, AccessUnit irap, Outbox outbox);

    /** An upper bound of the size of {@link #picture}'s message. */
    int sizeBound(AccessUnit au);

    /** The picture's message, or null while nothing has been announced that it could be decoded with. */
    Buffer picture(AccessUnit au, boolean key);

    /** A picture's message header: its type, whether it is a key picture, and its capture time. */
    static Buffer header(byte type, AccessUnit au, boolean key, int size) {
        return Buffer.buffer(size).appendByte(type).appendByte((byte) (key ? 1 : 0)).appendLong(au.captureTs());
    }

    /** The framing a viewer asked for with {@code ?format=}, or null when it names none of them. */
    static PictureFraming named(String format) {
        if (format == null || format.equals(AnnexBFraming.FORMAT)) {
            return new AnnexBFraming();
        }
        return format.equals(Fmp4Framing.FORMAT) ? new Fmp4Framing() : null;
    }
}
