package io.visionfleet.common.log;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps the RabbitMQ connector to the fleet's log-once rule: while the broker is away, each of its channels logs the
 * same failed reconnect, with a stack trace, every second. Warnings and errors of the connector and its Vert.x client
 * pass once a minute per message (the same message of every channel shares the minute); other records pass as they
 * are. Readiness says the broker is away all along, and the fleet's own bus code logs the outage once. Installed at
 * start on the two loggers the connector writes them with (not as a Quarkus {@code @LoggingFilter}: that one fails
 * the start of command-mode applications that share common, such as drone-sim).
 */
@ApplicationScoped
public class ConnectorOutageFilter implements Filter {
    private static final Duration PERIOD = Duration.ofMinutes(1);
    private static final String[] CONNECTOR_LOGGERS = {"io.smallrye.reactive.messaging.rabbitmq", "io.vertx.rabbitmq"};
    /** The loggers that write the per-second reconnect failures (a logger's filter sees only its own records). */
    private static final String[] OUTAGE_LOGGERS =
            {"io.smallrye.reactive.messaging.rabbitmq", "io.vertx.rabbitmq.impl.RabbitMQClientImpl"};

    private final LongSupplier nanoClock;
    private final Map<String, LogBudget> budgets = new ConcurrentHashMap<>();

    public ConnectorOutageFilter() {
        this(System::nanoTime);
    }

    ConnectorOutageFilter(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    void install(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        for (String name : OUTAGE_LOGGERS) {
            Logger.getLogger(name).setFilter(this);
        }
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record.getLevel().intValue() < Level.WARNING.intValue() || !fromConnector(record.getLoggerName())) {
            return true;
        }
        String key = record.getLoggerName() + " " + record.getMessage();
        return budgets.computeIfAbsent(key, k -> new LogBudget(1, PERIOD, nanoClock)).take() >= 0;
    }

    private static boolean fromConnector(String logger) {
        if (logger == null) {
            return false;
        }
        for (String prefix : CONNECTOR_LOGGERS) {
            if (logger.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
