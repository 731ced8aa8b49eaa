package io.visionfleet.ingest.relay;

import io.visionfleet.common.h264.ParameterSets;
import io.visionfleet.common.h264.VideoCodec;

import java.util.Base64;

/**
 * The SDP answered to DESCRIBE: one video track, H.264 (RFC 6184 8.2.1) or H.265 (RFC 7798 7.2), RTP over the RTSP
 * connection.
 */
final class SessionDescription {
    /** The only media track; SETUP names it relative to {@code Content-Base}. */
    static final String TRACK_CONTROL = "trackID=0";
    static final int PAYLOAD_TYPE = 96;

    private SessionDescription() {
    }

    static String of(String streamId, long sessionVersion, ParameterSets parameterSets) {
        return "v=0\r\n"
                + "o=- " + sessionVersion + " 1 IN IP4 0.0.0.0\r\n"
                + "s=" + streamId + "\r\n"
                + "c=IN IP4 0.0.0.0\r\n"
                + "t=0 0\r\n"
                + "a=tool:vision-fleet relay\r\n"
                + "a=control:*\r\n"
                + "m=video 0 RTP/AVP " + PAYLOAD_TYPE + "\r\n"
                + "a=rtpmap:" + PAYLOAD_TYPE + (parameterSets.codec() == VideoCodec.H264 ? " H264" : " H265") + "/90000\r\n"
                + "a=fmtp:" + PAYLOAD_TYPE + " " + formatParameters(parameterSets) + "\r\n"
                + "a=control:" + TRACK_CONTROL + "\r\n";
    }

    private static String formatParameters(ParameterSets sets) {
        if (sets.codec() == VideoCodec.H264) {
            return "packetization-mode=1;profile-level-id=" + sets.profileLevelId()
                    + ";sprop-parameter-sets=" + sets.spropParameterSets();
        }
        Base64.Encoder base64 = Base64.getEncoder();
        return "sprop-vps=" + base64.encodeToString(sets.vps()) + ";sprop-sps=" + base64.encodeToString(sets.sps())
                + ";sprop-pps=" + base64.encodeToString(sets.pps());
    }
}
