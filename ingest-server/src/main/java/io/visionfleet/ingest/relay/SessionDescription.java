package io.visionfleet.ingest.relay;

import io.visionfleet.common.h264.ParameterSets;

/** The SDP answered to DESCRIBE: one H.264 video track, RTP over the RTSP connection (RFC 6184 8.2.1). */
final class SessionDescription {
    /** The only media track; SETUP names it relative to {@code Content-Base}. */
    static final String TRACK_CONTROL = "trackID=0";
    static final int PAYLOAD_TYPE = 96;

    private SessionDescription() {
    }

    static String h264(String streamId, long sessionVersion, ParameterSets parameterSets) {
        return "v=0\r\n"
                + "o=- " + sessionVersion + " 1 IN IP4 0.0.0.0\r\n"
                + "s=" + streamId + "\r\n"
                + "c=IN IP4 0.0.0.0\r\n"
                + "t=0 0\r\n"
                + "a=tool:vision-fleet relay\r\n"
                + "a=control:*\r\n"
                + "m=video 0 RTP/AVP " + PAYLOAD_TYPE + "\r\n"
                + "a=rtpmap:" + PAYLOAD_TYPE + " H264/90000\r\n"
                + "a=fmtp:" + PAYLOAD_TYPE + " packetization-mode=1;profile-level-id=" + parameterSets.profileLevelId()
                + ";sprop-parameter-sets=" + parameterSets.spropParameterSets() + "\r\n"
                + "a=control:" + TRACK_CONTROL + "\r\n";
    }
}
