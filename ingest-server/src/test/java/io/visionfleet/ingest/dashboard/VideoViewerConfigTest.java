package io.visionfleet.ingest.dashboard;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The codec announcement keeps the exact fields the page's player reads. */
@Tag("quick")
class VideoViewerConfigTest {
    @Test
    void announcesTypeStreamAndCodecString() {
        assertThat(VideoViewer.configJson("drone-1", "avc1.42c01e"))
                .isEqualTo("{\"type\":\"config\",\"stream_id\":\"drone-1\",\"codec\":\"avc1.42c01e\"}");
        assertThat(VideoViewer.configJson("cam_2", "hvc1.1.6.L90.90"))
                .isEqualTo("{\"type\":\"config\",\"stream_id\":\"cam_2\",\"codec\":\"hvc1.1.6.L90.90\"}");
    }
}
