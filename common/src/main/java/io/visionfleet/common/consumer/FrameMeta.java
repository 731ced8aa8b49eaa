package io.visionfleet.common.consumer;

import io.visionfleet.common.rtsp.CaptureClock;

/**
 * Identity of one frame (decoded mode) or access unit (packet mode).
 *
 * @param streamId    the relay stream it came from
 * @param frameNumber this consumer's count of frames received on the stream, from 1, across reconnects; join
 *                    results of different services on {@code captureTs}, not on this
 * @param captureTs capture time in epoch ms, the same for every reader when {@code clock} is RTCP
 * @param ptsUs       presentation time in microseconds on this session's timeline
 * @param keyFrame    whether decoding can start here
 * @param clock       where {@code captureTs} came from
 */
public record FrameMeta(String streamId, long frameNumber, long captureTs, long ptsUs, boolean keyFrame,
                        CaptureClock.Source clock) {
}
