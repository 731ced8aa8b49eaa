package io.visionfleet.sim.publish;

import io.visionfleet.common.h264.VideoCodec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The text messages the sender puts in front of the video keep the exact fields and values ingest-server reads. */
@Tag("quick")
class AnnexBSenderControlMessagesTest {
    @Test
    void videoConfigNamesSizeRateAndCodec() {
        assertThat(AnnexBSender.configJson(1280, 720, 29.97, VideoCodec.H264))
                .isEqualTo("{\"type\":\"video_config\",\"width\":1280,\"height\":720,\"fps\":29.97,\"codec\":\"h264\"}");
        assertThat(AnnexBSender.configJson(320, 240, 30, VideoCodec.H265))
                .isEqualTo("{\"type\":\"video_config\",\"width\":320,\"height\":240,\"fps\":30.0,\"codec\":\"h265\"}");
    }

    @Test
    void accessUnitAnnouncementCarriesCaptureTimeAndLengthInSnakeCase() {
        assertThat(AnnexBSender.accessUnitJson(1_700_000_000_123L, 4567))
                .isEqualTo("{\"type\":\"access_unit\",\"capture_ts\":1700000000123,\"bytes\":4567}");
    }
}
