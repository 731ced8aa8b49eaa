package io.visionfleet.ingest.dashboard;

import io.vertx.core.buffer.Buffer;
import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.ingest.relay.AccessUnitTap;
import io.visionfleet.ingest.relay.ReaderGate;

/**
 * A browser watching a stream over {@code /ws/view/{stream}}: each access unit goes out as one binary message in the
 * viewer's {@link PictureFraming} (Annex-B for WebCodecs, fragmented MP4 for MSE), preceded by what the framing
 * announces at random access points. It starts at an IDR (the relay's cached GOP), and when its outbox is full it
 * loses whole pictures up to the next IDR, exactly like an RTSP reader, so the relay never waits for a browser.
 */
final class VideoViewer implements AccessUnitTap {
    /** Going away: the stream ended; the page reconnects and waits for it. */
    private static final int STREAM_ENDED = 1001;

    private final String streamId;
    private final Outbox outbox;
    private final PictureFraming framing;
    private final ReaderGate gate = new ReaderGate();
    private long sent;

    VideoViewer(String streamId, Outbox outbox, PictureFraming framing) {
        this.streamId = streamId;
        this.outbox = outbox;
        this.framing = framing;
    }

    @Override
    public void accessUnit(AccessUnit au, boolean idr) {
        if (!gate.admit(idr, outbox.hasRoom(framing.sizeBound(au)))) {
            return;
        }
        if (idr) {
            framing.announce(streamId, au, outbox);
        }
        Buffer message = framing.picture(au, idr);
        if (message != null) {
            outbox.sendBinary(message);
            sent++;
        }
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

    String format() {
        return framing.format();
    }
}
