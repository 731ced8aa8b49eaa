package io.visionfleet.ingest.relay;

import io.visionfleet.common.h264.AccessUnit;

/**
 * Receives a relayed stream's access units as whole NAL units, in decoding order, as RTSP readers get them (SPS and
 * PPS in front of every IDR), starting with the cached GOP. Called with the stream's lock held, from the stream's
 * producer: an implementation must only queue work, never block.
 */
public interface AccessUnitTap {
    void accessUnit(AccessUnit au, boolean idr);

    /** The stream closed; no further access units come. */
    void closed();
}
