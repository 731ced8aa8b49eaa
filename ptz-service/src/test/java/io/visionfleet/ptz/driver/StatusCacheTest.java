package io.visionfleet.ptz.driver;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The status cache on a clock the test moves, with reads that count themselves. */
@Tag("quick")
class StatusCacheTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final StatusCache cache = new StatusCache(StatusCache.MAX_AGE, now::get);
    private final AtomicInteger reads = new AtomicInteger();

    private PtzStatus read() {
        return new PtzStatus(reads.incrementAndGet(), 0, 1, false);
    }

    @Test
    void aStatusIsServedFor250MsThenReadAgain() {
        assertThat(cache.get(this::read).panDeg()).isEqualTo(1);
        now.addAndGet(249);
        assertThat(cache.get(this::read).panDeg()).isEqualTo(1);
        now.addAndGet(1);
        assertThat(cache.get(this::read).panDeg()).isEqualTo(2);
        assertThat(reads).hasValue(2);
    }

    @Test
    void aCommandMakesTheNextStatusAFreshRead() {
        cache.get(this::read);
        cache.invalidate();
        assertThat(cache.get(this::read).panDeg()).isEqualTo(2);
        assertThat(cache.get(this::read).panDeg()).isEqualTo(2);
    }

    @Test
    void aReadInFlightWhenACommandWasSentAnswersItsCallerButIsNotCached() {
        PtzStatus before = cache.get(() -> {
            cache.invalidate(); // a command sent while this read waits on the camera
            return read();
        });
        assertThat(before.panDeg()).isEqualTo(1);
        assertThat(cache.get(this::read).panDeg()).as("read again, not the answer from before the command").isEqualTo(2);
        assertThat(cache.get(this::read).panDeg()).isEqualTo(2);
    }

    @Test
    void aFailedReadCachesNothing() {
        assertThatThrownBy(() -> cache.get(() -> {
            throw new PtzException("camera unreachable");
        })).hasMessage("camera unreachable");
        assertThat(cache.get(this::read).panDeg()).isEqualTo(1);
    }
}
