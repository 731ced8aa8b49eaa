package io.visionfleet.ingest.relay;

import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.common.h264.ParameterSets;
import io.visionfleet.common.h264.VideoCodec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("quick")
class SessionDescriptionTest {

    @Test
    void describesOneH264TrackWithParameterSetsAndProfile() {
        String sdp = SessionDescription.of("cam1", 7, new ParameterSets(TestNals.SPS, TestNals.PPS));

        assertThat(sdp.split("\r\n")).containsSubsequence(
                "v=0",
                "s=cam1",
                "m=video 0 RTP/AVP 96",
                "a=rtpmap:96 H264/90000",
                "a=fmtp:96 packetization-mode=1;profile-level-id=42c01e;sprop-parameter-sets=Z0LAHtkAoEf+yA==,aM48gA==",
                "a=control:trackID=0");
        assertThat(sdp).endsWith("\r\n").doesNotContain("\n\n");
    }

    @Test
    void describesOneH265TrackWithItsVpsSpsAndPps() {
        ParameterSets sets = new ParameterSets(VideoCodec.H265, List.of(new byte[]{0x40, 0x01, 0x0c},
                new byte[]{0x42, 0x01, 0x01}, new byte[]{0x44, 0x01, (byte) 0xc1}));
        String sdp = SessionDescription.of("cam2", 7, sets);

        assertThat(sdp.split("\r\n")).containsSubsequence(
                "s=cam2",
                "m=video 0 RTP/AVP 96",
                "a=rtpmap:96 H265/90000",
                "a=fmtp:96 sprop-vps=QAEM;sprop-sps=QgEB;sprop-pps=RAHB",
                "a=control:trackID=0");
    }
}
