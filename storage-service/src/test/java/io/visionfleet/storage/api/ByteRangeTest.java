package io.visionfleet.storage.api;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("quick")
class ByteRangeTest {
    private static final long SIZE = 1000;

    @Test
    void theThreeFormsOfOneRange() throws Exception {
        assertThat(ByteRange.parse("bytes=0-99", SIZE)).contains(new ByteRange(0, 99));
        assertThat(ByteRange.parse("bytes=900-", SIZE)).contains(new ByteRange(900, 999));
        assertThat(ByteRange.parse("bytes=-100", SIZE)).contains(new ByteRange(900, 999));
        assertThat(ByteRange.parse("bytes=-5000", SIZE)).as("more than the file: all of it").contains(new ByteRange(0, 999));
        assertThat(ByteRange.parse("bytes=990-5000", SIZE)).as("end clamped").contains(new ByteRange(990, 999));
        assertThat(new ByteRange(990, 999).contentRange(SIZE)).isEqualTo("bytes 990-999/1000");
        assertThat(new ByteRange(990, 999).length()).isEqualTo(10);
    }

    @Test
    void rangesPastTheEndAreUnsatisfiable() {
        assertThatThrownBy(() -> ByteRange.parse("bytes=1000-", SIZE)).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThatThrownBy(() -> ByteRange.parse("bytes=5000-6000", SIZE)).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThatThrownBy(() -> ByteRange.parse("bytes=-0", SIZE)).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThatThrownBy(() -> ByteRange.parse("bytes=0-", 0)).isInstanceOf(ByteRange.Unsatisfiable.class);
    }

    @Test
    void anythingElseIsIgnoredAndTheWholeFileSent() throws Exception {
        for (String header : new String[]{null, "", "bytes=", "bytes=-", "items=0-1", "bytes=0-1,5-6", "bytes=a-b",
                "bytes=5-1", "bytes=+1-2", "bytes=1-2-3", "bytes=" + "9".repeat(30) + "-", "bytes=0-" + "1".repeat(200)}) {
            assertThat(ByteRange.parse(header, SIZE)).as("'%s'", header).isEqualTo(Optional.empty());
        }
    }
}
