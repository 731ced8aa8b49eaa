package io.visionfleet.ingest.relay;

import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.common.h264.ParameterSets;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SessionDescriptionTest {

    @Test
    void describesOneH264TrackWithParameterSetsAndProfile() {
        String sdp = SessionDescription.h264("cam1", 7, new ParameterSets(TestNals.SPS, TestNals.PPS));

        assertThat(sdp.split("\r\n")).containsSubsequence(
                "v=0",
                "s=cam1",
                "m=video 0 RTP/AVP 96",
                "a=rtpmap:96 H264/90000",
                "a=fmtp:96 packetization-mode=1;profile-level-id=42c01e;sprop-parameter-sets=Z0LAHtkAoEf+yA==,aM48gA==",
                "a=control:trackID=0");
        assertThat(sdp).endsWith("\r\n").doesNotContain("\n\n");
    }
}
