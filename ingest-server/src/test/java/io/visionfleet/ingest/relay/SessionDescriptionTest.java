package io.visionfleet.ingest.relay;

import io.visionfleet.common.h264.AccessUnit;
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

    @Test
    void parameterSetsFollowTheLatestAccessUnitsAndNeedBoth() {
        assertThat(ParameterSets.update(null, new AccessUnit(List.of(TestNals.SPS, TestNals.idrSlice(10)), 0))).isNull();

        ParameterSets first = ParameterSets.update(null, TestNals.idr(0, 10));
        assertThat(first.sps()).isEqualTo(TestNals.SPS);
        assertThat(ParameterSets.update(first, TestNals.idr(1, 10))).isSameAs(first);
        assertThat(ParameterSets.update(first, TestNals.p(2, 10))).isSameAs(first);

        byte[] level31 = TestNals.SPS.clone();
        level31[3] = 0x1f;
        ParameterSets changed = ParameterSets.update(first, new AccessUnit(List.of(level31, TestNals.idrSlice(10)), 3));
        assertThat(changed.profileLevelId()).isEqualTo("42c01f");
        assertThat(changed.pps()).isEqualTo(TestNals.PPS);
    }
}
