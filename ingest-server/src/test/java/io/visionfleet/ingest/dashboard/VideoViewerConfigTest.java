package io.visionfleet.ingest.dashboard;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The codec announcement keeps the exact fields the page's players read. */
@Tag("quick")
class VideoViewerConfigTest {
    @Test
    void announcesTypeStreamAndCodecString() {
        assertThat(ViewerConfig.of("drone-1", "avc1.42c01e").json())
                .isEqualTo("{\"type\":\"config\",\"stream_id\":\"drone-1\",\"codec\":\"avc1.42c01e\"}");
        assertThat(ViewerConfig.of("cam_2", "hvc1.1.6.L90.90").json())
                .isEqualTo("{\"type\":\"config\",\"stream_id\":\"cam_2\",\"codec\":\"hvc1.1.6.L90.90\"}");
        assertThat(ViewerConfig.fmp4("cam_2", "hvc1.1.6.L90.90", 640, 360, 1_764_000_000_000L).json())
                .isEqualTo("{\"type\":\"config\",\"stream_id\":\"cam_2\",\"codec\":\"hvc1.1.6.L90.90\",\"format\":\"fmp4\","
                        + "\"width\":640,\"height\":360,\"base_ts\":1764000000000}");
    }
}
