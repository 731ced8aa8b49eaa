package io.visionfleet.common.log;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("quick")
class ConnectorOutageFilterTest {
    private final AtomicLong now = new AtomicLong();
    private final ConnectorOutageFilter filter = new ConnectorOutageFilter(now::get);

    private static LogRecord record(Level level, String logger, String message) {
        LogRecord record = new LogRecord(level, message);
        record.setLoggerName(logger);
        return record;
    }

    private boolean reconnectFailed(String channel) {
        LogRecord record = record(Level.SEVERE, "io.smallrye.reactive.messaging.rabbitmq",
                "SRMSG17xxx: Unable to connect channel %s");
        record.setParameters(new Object[] {channel});
        return filter.isLoggable(record);
    }

    @Test
    void aConnectorFailureRepeatedEverySecondIsLoggedOnceAMinuteAcrossChannels() {
        int logged = 0;
        for (int second = 0; second < 120; second++) {
            now.set(Duration.ofSeconds(second).toNanos());
            logged += reconnectFailed("processed_frames_exchange") ? 1 : 0;
            logged += reconnectFailed("prompts") ? 1 : 0;
        }
        assertThat(logged).as("240 failures over two minutes").isEqualTo(2);
    }

    @Test
    void otherMessagesLoggersAndLevelsPass() {
        assertThat(reconnectFailed("a")).isTrue();
        assertThat(filter.isLoggable(record(Level.SEVERE, "io.vertx.rabbitmq.impl.RabbitMQClientImpl", "Could not connect")))
                .as("another message of the connector has its own minute").isTrue();
        for (int i = 0; i < 3; i++) {
            assertThat(filter.isLoggable(record(Level.INFO, "io.smallrye.reactive.messaging.rabbitmq", "SRMSG17007: connected")))
                    .as("below WARNING").isTrue();
            assertThat(filter.isLoggable(record(Level.SEVERE, "io.visionfleet.storage.results.ResultsArchive", "failed")))
                    .as("the fleet's own errors").isTrue();
        }
    }
}
