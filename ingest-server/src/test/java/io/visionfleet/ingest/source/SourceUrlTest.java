package io.visionfleet.ingest.source;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("quick")
class SourceUrlTest {
    @Test
    void rtspUrlsAreLiveSourcesOpenedAsGiven() {
        SourceUrl url = SourceUrl.parse("rtsp://192.168.1.64:554/Streaming/Channels/101");
        assertThat(url.kind()).isEqualTo(SourceUrl.Kind.RTSP);
        assertThat(url.input()).isEqualTo("rtsp://192.168.1.64:554/Streaming/Channels/101");
        assertThat(SourceUrl.parse("rtsps://cam.example/live").kind()).isEqualTo(SourceUrl.Kind.RTSP);
    }

    @Test
    void fileUrlsNameAnExistingAbsolutePath(@TempDir Path dir) throws Exception {
        Path video = Files.write(dir.resolve("clip.mp4"), new byte[]{1});
        assertThat(SourceUrl.parse("file:" + video).input()).isEqualTo(video.toString());
        assertThat(SourceUrl.parse("file://" + video).kind()).isEqualTo(SourceUrl.Kind.FILE);
        assertThatThrownBy(() -> SourceUrl.parse("file:" + dir.resolve("missing.mp4")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no readable file");
        assertThatThrownBy(() -> SourceUrl.parse("file:clip.mp4"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute path");
        assertThatThrownBy(() -> SourceUrl.parse("file:" + dir))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no readable file");
    }

    @Test
    void otherSchemesHostlessRtspAndGarbageAreRefusedWithAReason() {
        assertThatThrownBy(() -> SourceUrl.parse("http://cam/stream"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unsupported url scheme 'http'");
        assertThatThrownBy(() -> SourceUrl.parse("rtsp:///path"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a host");
        assertThatThrownBy(() -> SourceUrl.parse("rtsp://a b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid URI");
        assertThatThrownBy(() -> SourceUrl.parse(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("url is required");
        assertThatThrownBy(() -> SourceUrl.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void passwordsNeverLeaveTheSource() {
        assertThat(SourceUrl.parse("rtsp://admin:s3cr:et@10.0.0.5:554/ch1?subtype=0").redacted())
                .isEqualTo("rtsp://admin:***@10.0.0.5:554/ch1?subtype=0");
        assertThat(SourceUrl.parse("rtsp://10.0.0.5/ch1").redacted()).isEqualTo("rtsp://10.0.0.5/ch1");
        assertThat(SourceUrl.parse("rtsp://viewer@10.0.0.5/ch1").redacted()).isEqualTo("rtsp://viewer@10.0.0.5/ch1");
    }
}
