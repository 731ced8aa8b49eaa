package io.visionfleet.frameprocessor.support;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.quarkus.runtime.configuration.DurationConverter;
import io.visionfleet.frameprocessor.config.ProcessorConfig;

import java.time.Duration;

import java.util.Map;

/** The processor configuration outside Quarkus: the documented defaults plus {@code overrides}. */
public final class TestConfig {
    private TestConfig() {
    }

    public static ProcessorConfig processor(Map<String, String> overrides) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(ProcessorConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter()) // "30s" as Quarkus reads it
                .withSources(new PropertiesConfigSource(overrides, "test", 400))
                .build();
        return config.getConfigMapping(ProcessorConfig.class);
    }

    public static ProcessorConfig defaults() {
        return processor(Map.of());
    }
}
