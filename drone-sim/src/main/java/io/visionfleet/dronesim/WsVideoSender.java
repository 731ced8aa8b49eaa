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

    /** Sends until the source ends or the run stops; the camera starts once the server is first reached. */
    void run() throws IOException {
        if (!link.awaitFirstConnection()) {
            return;
        }
        for (AccessUnit au; (au = source.next()) != null; ) {
            AnnexBSender.Sent sent = sender.send(au);
            if (sent != null) {
                stats.frameSent(sent.bytes(), sent.messages());
            } else {
                stats.frameDropped();
            }
        }
    }
}
