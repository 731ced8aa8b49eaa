package io.visionfleet.common.consumer;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.visionfleet.common.net.UrlCredentials;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("quick")
class ConsumerSettingsTest {
    private static ConsumerConfig config(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(ConsumerConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter()) // Quarkus's "3s" / "1500ms" syntax
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
        return config.getConfigMapping(ConsumerConfig.class);
    }

    @Test
    void defaultsPullTheDroneStreamFromALocalRelay() {
        ConsumerConfig config = config(Map.of());
        assertThat(config.enabled()).isTrue();
        assertThat(config.relayUrl()).isEqualTo("rtsp://localhost:8554/");
        assertThat(config.streams()).containsExactly("drone");
        assertThat(config.followStreamEvents()).isTrue();
        assertThat(config.ioTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.maxFps()).isZero();
        assertThat(config.statsLogInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(ConsumerSettings.of(config).streamUrl("drone")).isEqualTo("rtsp://localhost:8554/drone");
    }

    @Test
    void overridesAreRead() {
        ConsumerConfig config = config(Map.of(
                "fleet.consumer.relay-url", "rtsp://ingest:8554",
                "fleet.consumer.streams", "cam1,cam2",
                "fleet.consumer.follow-stream-events", "false",
                "fleet.consumer.io-timeout", "1500ms",
                "fleet.consumer.max-fps", "5"));
        ConsumerSettings settings = ConsumerSettings.of(config);
        assertThat(config.streams()).containsExactly("cam1", "cam2");
        assertThat(config.followStreamEvents()).isFalse();
        assertThat(settings.relayUrl()).as("a trailing slash is added").isEqualTo("rtsp://ingest:8554/");
        assertThat(settings.ioTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(settings.maxFps()).isEqualTo(5.0);
    }

    @Test
    void badValuesAreRejectedWithTheReason() {
        assertThatThrownBy(() -> new ConsumerSettings("http://relay/", Duration.ofSeconds(3), 0))
                .hasMessageContaining("rtsp://");
        assertThatThrownBy(() -> new ConsumerSettings("rtsp://relay/", Duration.ofMillis(10), 0))
                .hasMessageContaining("I/O timeout");
        assertThatThrownBy(() -> new ConsumerSettings("rtsp://relay/", Duration.ofSeconds(3), -1))
                .hasMessageContaining("max fps");
        assertThatThrownBy(() -> new ConsumerSettings("rtsp://relay/", Duration.ofSeconds(3), 0, Duration.ZERO,
                Optional.empty(), 4, -1)).hasMessageContaining("workers");
        ConsumerSettings settings = new ConsumerSettings("rtsp://relay/", Duration.ofSeconds(3), 0);
        assertThatThrownBy(() -> settings.streamUrl("../etc")).hasMessageContaining("invalid stream id");
    }

    @Test
    void consumerSettingsKeepTheLoginOutOfTheRelayUrl() {
        ConsumerSettings settings = new ConsumerSettings("rtsp://reader:pw%3A1@relay:8554", Duration.ofSeconds(2), 0);
        assertThat(settings.relayUrl()).isEqualTo("rtsp://relay:8554/");
        assertThat(settings.streamUrl("cam")).isEqualTo("rtsp://relay:8554/cam");
        assertThat(settings.sessionUrl("cam")).isEqualTo("rtsp://reader:pw%3A1@relay:8554/cam");
        ConsumerSettings explicit = new ConsumerSettings("rtsp://relay:8554/", Duration.ofSeconds(2), 0, Duration.ZERO,
                Optional.of(new UrlCredentials.Login("svc", "x y")), ConsumerSettings.DEFAULT_MAX_FOLLOWED, 0);
        assertThat(explicit.sessionUrl("cam")).isEqualTo("rtsp://svc:x%20y@relay:8554/cam");
        assertThat(new ConsumerSettings("rtsp://relay:8554/", Duration.ofSeconds(2), 0).sessionUrl("cam"))
                .isEqualTo("rtsp://relay:8554/cam");
    }
}
