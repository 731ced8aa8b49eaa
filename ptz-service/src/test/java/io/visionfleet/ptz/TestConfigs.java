package io.visionfleet.ptz;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.visionfleet.ptz.config.PtzConfig;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** {@link PtzConfig} built from a few keys by SmallRye Config itself, so unit tests see the same
 * defaults as the service (with Quarkus' duration syntax). */
public final class TestConfigs {
    private TestConfigs() {
    }

    /** @param keys keys under {@code fleet.ptz.}, e.g. {@code cameras.a.stream=a} */
    public static PtzConfig ptz(Map<String, String> keys) {
        Map<String, String> props = new HashMap<>();
        keys.forEach((k, v) -> props.put("fleet.ptz." + k, v));
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(PtzConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(props, "test", 500)).build();
        return config.getConfigMapping(PtzConfig.class);
    }
}
