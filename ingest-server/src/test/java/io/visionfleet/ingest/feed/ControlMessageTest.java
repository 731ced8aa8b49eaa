package io.visionfleet.ingest.feed;

import io.visionfleet.common.bus.Json;
import io.visionfleet.common.h264.VideoCodec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("quick")
class ControlMessageTest {
    @Test
    void videoConfigIsKeptWithEveryFieldThePublisherSent() {
        ControlMessage message = ControlMessage.parse(
                "{\"type\":\"video_config\",\"width\":1280,\"height\":720,\"fps\":29.97,\"codec\":\"h264\",\"camera\":\"front\"}");
        assertThat(message.type()).isEqualTo("video_config");
        assertThat(message.body().get("width").asInt()).isEqualTo(1280);
        assertThat(message.body().get("camera").asText()).isEqualTo("front");
        assertThat(ControlMessage.parse("{\"type\":\"video_config\",\"codec\":\"AVC1\"}").body().get("codec").asText())
                .isEqualTo("AVC1");
    }

    @Test
    void videoConfigNamesH264OrH265() {
        assertThat(ControlMessage.parse("{\"type\":\"video_config\",\"codec\":\"AVC1\"}").codec()).isEqualTo(VideoCodec.H264);
        for (String name : new String[]{"h265", "H.265", "hevc", "hvc1", "hev1"}) {
            assertThat(ControlMessage.parse("{\"type\":\"video_config\",\"codec\":\"" + name + "\"}").codec())
                    .as(name).isEqualTo(VideoCodec.H265);
        }
        assertThat(ControlMessage.parse("{\"type\":\"video_config\",\"fps\":30}").codec()).isNull();
    }

    @Test
    void refusalsSayWhatIsWrong() {
        assertThatThrownBy(() -> ControlMessage.parse("{\"type\":")).hasMessageStartingWith("invalid JSON");
        assertThatThrownBy(() -> ControlMessage.parse("[1,2]")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> ControlMessage.parse("{\"type\":\"reboot\"}")).hasMessageContaining("unknown message type 'reboot'");
        assertThatThrownBy(() -> ControlMessage.parse("{\"width\":5}")).hasMessageContaining("unknown message type ''");
        assertThatThrownBy(() -> ControlMessage.parse("{\"type\":\"video_config\",\"width\":-1}"))
                .hasMessageContaining("width must be a positive number");
        assertThatThrownBy(() -> ControlMessage.parse("{\"type\":\"video_config\",\"fps\":\"fast\"}"))
                .hasMessageContaining("fps must be a positive number");
        assertThatThrownBy(() -> ControlMessage.parse("{\"type\":\"video_config\",\"codec\":\"vp9\"}"))
                .hasMessageContaining("codec 'vp9' is not relayed: send H.264 or H.265");
    }

    @Test
    void anAccessUnitMessageCarriesAnIntegerCaptureTime() {
        ControlMessage message = ControlMessage.parse("{\"type\":\"access_unit\",\"capture_ts\":1795290000123}");
        assertThat(message.type()).isEqualTo(ControlMessage.ACCESS_UNIT);
        assertThat(message.captureTs()).isEqualTo(1_795_290_000_123L);
        for (String bad : new String[]{"\"now\"", "1.5", "1e30", "null", "123456789012345678901234567890"}) {
            assertThatThrownBy(() -> ControlMessage.parse("{\"type\":\"access_unit\",\"capture_ts\":" + bad + "}"))
                    .as(bad).hasMessageContaining("access_unit needs capture_ts, an integer");
        }
        assertThatThrownBy(() -> ControlMessage.parse("{\"type\":\"access_unit\"}")).hasMessageContaining("needs capture_ts");
    }

    @Test
    void anAccessUnitMessageMayCarryThePicturesLength() {
        assertThat(ControlMessage.parse("{\"type\":\"access_unit\",\"capture_ts\":1,\"bytes\":4711}").pictureBytes())
                .isEqualTo(4711);
        assertThat(ControlMessage.parse("{\"type\":\"access_unit\",\"capture_ts\":1}").pictureBytes()).isZero();
        for (String bad : new String[]{"0", "-3", "1.5", "\"12\"", "null", "4294967296"}) {
            assertThatThrownBy(() -> ControlMessage.parse("{\"type\":\"access_unit\",\"capture_ts\":1,\"bytes\":" + bad + "}"))
                    .as(bad).hasMessageContaining("bytes must be a positive integer");
        }
    }

    @Test
    void oversizedMessagesAndAbsurdRatesAreRefused() {
        assertThatThrownBy(() -> ControlMessage.parse("{\"type\":\"video_config\",\"x\":\"" + "a".repeat(5000) + "\"}"))
                .hasMessageContaining("exceeds 4096");
        assertThatThrownBy(() -> ControlMessage.parse("{\"type\":\"video_config\",\"fps\":1e308}"))
                .hasMessageContaining("fps must be at most 1000");
    }

    @Test
    void senderTimestampsInSecondsOrMillisecondsBecomeEpochMilliseconds() throws Exception {
        assertThat(TelemetrySocket.senderTimestampMs(Json.MAPPER.readTree("{\"timestamp\":1700000000.25}")))
                .isEqualTo(1_700_000_000_250L);
        assertThat(TelemetrySocket.senderTimestampMs(Json.MAPPER.readTree("{\"timestamp\":1700000000250}")))
                .isEqualTo(1_700_000_000_250L);
        assertThat(TelemetrySocket.senderTimestampMs(Json.MAPPER.readTree("{\"capture_ts\":1700000000123,\"timestamp\":5}")))
                .isEqualTo(1_700_000_000_123L);
        assertThat(TelemetrySocket.senderTimestampMs(Json.MAPPER.readTree("{\"timestamp\":\"noon\"}"))).isNull();
        assertThat(TelemetrySocket.senderTimestampMs(Json.MAPPER.readTree("{\"roll\":0.1}"))).isNull();
    }
}
