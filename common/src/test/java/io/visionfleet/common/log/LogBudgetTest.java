package io.visionfleet.common.log;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("quick")
class LogBudgetTest {
    private final AtomicLong now = new AtomicLong(1_000);

    @Test
    void allowsItsLinesPerPeriodThenCountsWhatItLeavesOut() {
        LogBudget budget = new LogBudget(3, Duration.ofMinutes(1), now::get);
        assertThat(budget.take()).isZero();
        assertThat(budget.take()).isZero();
        assertThat(budget.take()).isZero();
        assertThat(budget.take()).isEqualTo(-1);
        assertThat(budget.take()).isEqualTo(-1);
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(budget.take()).as("still the same period").isEqualTo(-1);
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(budget.take()).as("a new period: the three left out are reported").isEqualTo(3);
        assertThat(budget.take()).isZero();
    }

    @Test
    void aPeriodStartsWithItsFirstLineNotWithTheBudget() {
        LogBudget budget = new LogBudget(1, Duration.ofMinutes(1), now::get);
        now.addAndGet(Duration.ofMinutes(10).toNanos());
        assertThat(budget.take()).isZero();
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThat(budget.take()).as("one line a minute after the first, not after the construction").isEqualTo(-1);
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThat(budget.take()).isEqualTo(1);
    }

    @Test
    void logsWithinTheBudgetAtItsLevelSayingHowManyWereLeftOutAndTheRestAtDebug() {
        String name = "io.visionfleet.common.log.test" + System.nanoTime();
        List<String> warnings = new CopyOnWriteArrayList<>();
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger(name);
        jul.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        Logger log = Logger.getLogger(name);
        LogBudget budget = new LogBudget(1, Duration.ofMinutes(1), now::get);
        assertThat(budget.log(log, Logger.Level.WARN, "connection %s refused: %s", "a", "bad id")).isTrue();
        assertThat(budget.log(log, Logger.Level.WARN, "connection %s refused: %s", "b", "bad id")).isFalse();
        assertThat(budget.log(log, Logger.Level.WARN, "connection %s refused: %s", "c", "bad id")).isFalse();
        now.addAndGet(Duration.ofMinutes(1).toNanos());
        assertThat(budget.log(log, Logger.Level.WARN, "connection %s refused: %s", "d", "bad id")).isTrue();
        assertThat(warnings).containsExactly("connection a refused: bad id",
                "connection d refused: bad id (2 similar lines not logged before this one)");
    }

    @Test
    void refusesAnEmptyBudget() {
        assertThatThrownBy(() -> new LogBudget(0, Duration.ofMinutes(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LogBudget(1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
