package io.visionfleet.dronesim;

import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.sim.publish.AnnexBSender;
import io.visionfleet.sim.publish.WsLink;

import java.io.IOException;

/**
 * Sends the camera's access units on {@code /ws/video/{id}} through an {@link AnnexBSender} (whole or in pseudo-random
 * chunks, a new session starting at an IDR with SPS/PPS and the optional {@code video_config}) and counts what went
 * out and what was dropped while the link was down.
 */
final class WsVideoSender {
    private final WsLink link;
    private final VideoSource source;
    private final AnnexBSender sender;
    private final SendStats stats;

    WsVideoSender(WsLink link, VideoSource source, int chunkBytes, boolean sendConfig, SendStats stats) {
        this.link = link;
        this.source = source;
        this.sender = new AnnexBSender(link, chunkBytes, sendConfig ? source.format()::configJson : null);
        this.stats = stats;
    }

    /**
     * Sends until the source ends or the run stops. The camera starts with the connection: its first picture goes
     * out once the server is reached, and its frame clock starts when that picture is on the wire. A new connection's
     * first send can take longer than a frame interval (issue 21 saw 100-150 ms), and a clock started before it
     * would send the next pictures in a burst, with capture times bunched a millisecond apart.
     */
    void run() throws IOException {
        if (!link.awaitFirstConnection()) {
            return;
        }
        boolean clockStarted = false;
        for (AccessUnit au; (au = source.next()) != null; ) {
            AnnexBSender.Sent sent = sender.send(au);
            if (sent != null) {
                stats.frameSent(sent.bytes(), sent.messages());
                if (!clockStarted) {
                    source.restartClock();
                    clockStarted = true;
                }
            } else {
                stats.frameDropped();
            }
        }
    }
}
