package io.visionfleet.storage.results;

import com.fasterxml.jackson.databind.JsonNode;
import io.visionfleet.common.bus.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** How the results archive knows a redelivery: identities, the bounded window, and reading the files' tails back. */
@Tag("quick")
class ResultDeduplicationTest {
    @TempDir
    Path root;

    private static String frame(String stream, long frameNumber, long captureTs, String extra) {
        return "{\"schema\":\"processed_frame/1\",\"stream_id\":\"" + stream + "\",\"frame_number\":" + frameNumber
                + ",\"capture_ts\":" + captureTs + ",\"extra\":\"" + extra + "\"}";
    }

    private static ResultIdentity identity(ResultKind kind, String json) throws IOException {
        JsonNode message = Json.MAPPER.readTree(json);
        byte[] line = Json.MAPPER.writeValueAsBytes(message); // as the archive writes it, without the newline
        return ResultIdentity.of(kind, ResultKey.of(message).orElseThrow(), message, line, line.length);
    }

    @Test
    void aRedeliveryHasTheSameIdentityAndADifferentResultDoesNot() throws IOException {
        ResultIdentity original = identity(ResultKind.PROCESSED_FRAMES, frame("cam", 7, 1_700_000_000_000L, "a"));
        assertThat(identity(ResultKind.PROCESSED_FRAMES, frame("cam", 7, 1_700_000_000_000L, "a"))).isEqualTo(original);
        assertThat(identity(ResultKind.PROCESSED_FRAMES, frame("cam", 8, 1_700_000_000_000L, "a"))).isNotEqualTo(original);
        assertThat(identity(ResultKind.PROCESSED_FRAMES, frame("cam", 7, 1_700_000_000_001L, "a"))).isNotEqualTo(original);
        assertThat(identity(ResultKind.PROCESSED_FRAMES, frame("cam2", 7, 1_700_000_000_000L, "a"))).isNotEqualTo(original);
        assertThat(identity(ResultKind.SLAM_RESULTS, frame("cam", 7, 1_700_000_000_000L, "a"))).isNotEqualTo(original);
        assertThat(identity(ResultKind.PROCESSED_FRAMES, frame("cam", 7, 1_700_000_000_000L, "b")))
                .as("two commands for one frame").isNotEqualTo(original);
        assertThat(original.frameNumber()).isEqualTo(7);
        assertThat(identity(ResultKind.IMU_DATA,
                "{\"stream_id\":\"cam\",\"received_ts\":1700000000005}").frameNumber()).isEqualTo(-1);
    }

    @Test
    void theWindowRecognisesRecentResultsAndForgetsTheOldest() throws IOException {
        RecentResults recent = new RecentResults(3);
        ResultIdentity[] ids = new ResultIdentity[4];
        for (int i = 0; i < 4; i++) {
            ids[i] = identity(ResultKind.PROCESSED_FRAMES, frame("cam", i, 1_700_000_000_000L + i, "x"));
            assertThat(recent.add(ids[i])).isTrue();
        }
        assertThat(recent.size()).isEqualTo(3);
        assertThat(recent.add(ids[3])).as("a redelivery").isFalse();
        assertThat(recent.add(ids[1])).as("still in the window").isFalse();
        assertThat(recent.add(ids[0])).as("forgotten: outside the window").isTrue();
        recent.remove(ids[2]);
        assertThat(recent.add(ids[2])).as("forgotten on purpose").isTrue();
    }

    @Test
    void theTailsOfRecentFilesAreReadBackButNotAFragmentOrALineCutShort() throws IOException {
        Path file = root.resolve("cam/2026-01-01/10/1767261600000.processed_frames.jsonl");
        Files.createDirectories(file.getParent());
        String lines = IntStream.range(0, 3).mapToObj(i -> compact(frame("cam", i, 1_767_261_600_000L + i, "x")) + "\n")
                .collect(Collectors.joining());
        String cutShort = compact(frame("cam", 3, 1_767_261_600_003L, "x"));
        Files.writeString(file, lines + cutShort.substring(0, cutShort.length() / 2), StandardCharsets.UTF_8);
        Files.writeString(root.resolve("cam/2026-01-01/10/notes.txt"), "not results", StandardCharsets.UTF_8);

        RecentResults recent = new RecentResults(100);
        assertThat(ArchivedTail.load(root, Duration.ofMinutes(10), recent)).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            assertThat(recent.add(identity(ResultKind.PROCESSED_FRAMES, frame("cam", i, 1_767_261_600_000L + i, "x"))))
                    .as("line %d was archived before", i).isFalse();
        }
        assertThat(recent.add(identity(ResultKind.PROCESSED_FRAMES, frame("cam", 3, 1_767_261_600_003L, "x"))))
                .as("the line cut short was not archived").isTrue();
    }

    @Test
    void onlyTheTailOfALargeFileAndOnlyRecentFilesAreRead() throws IOException {
        Path large = root.resolve("cam/2026-01-01/10/1767261600000.slam_results.jsonl");
        Files.createDirectories(large.getParent());
        String line = compact(frame("cam", 1, 1_767_261_600_000L, "y".repeat(1000))) + "\n";
        int count = ArchivedTail.TAIL_BYTES / line.length() * 2;
        Files.writeString(large, line.repeat(count), StandardCharsets.UTF_8);
        Path old = root.resolve("cam/2026-01-01/09/1767258000000.slam_results.jsonl");
        Files.createDirectories(old.getParent());
        Files.writeString(old, line, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(old, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));

        int read = ArchivedTail.load(root, Duration.ofMinutes(10), new RecentResults(100));
        assertThat(read).as("whole lines of the last %d bytes, the first fragment skipped", ArchivedTail.TAIL_BYTES)
                .isEqualTo(ArchivedTail.TAIL_BYTES / line.length());
    }

    private static String compact(String json) {
        try {
            return Json.MAPPER.writeValueAsString(Json.MAPPER.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
