package io.visionfleet.storage.results;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("quick")
class JsonLinesFilesTest {
    @TempDir
    Path dir;

    @Test
    void aLineIsNeverGluedToAFragmentLeftByACrash() throws Exception {
        Path file = dir.resolve("a/b/1.processed_frames.jsonl");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"whole\":1}\n{\"cut\":", StandardCharsets.UTF_8);
        try (JsonLinesFiles files = new JsonLinesFiles()) {
            files.append(file, "{\"next\":2}\n".getBytes(StandardCharsets.UTF_8));
            files.append(file, "{\"next\":3}\n".getBytes(StandardCharsets.UTF_8));
            files.forceAll();
        }
        assertThat(Files.readAllLines(file)).containsExactly("{\"whole\":1}", "{\"cut\":", "{\"next\":2}", "{\"next\":3}");
    }

    @Test
    void appendsToWholeFilesAndNewOnesAsTheyAre() throws Exception {
        Path existing = dir.resolve("1.processed_frames.jsonl");
        Files.writeString(existing, "{\"whole\":1}\n", StandardCharsets.UTF_8);
        Path fresh = dir.resolve("x/2.slam_results.jsonl");
        try (JsonLinesFiles files = new JsonLinesFiles()) {
            files.append(existing, "{\"next\":2}\n".getBytes(StandardCharsets.UTF_8));
            files.append(fresh, "{\"first\":1}\n".getBytes(StandardCharsets.UTF_8));
            files.forceAll();
        }
        assertThat(Files.readAllLines(existing)).containsExactly("{\"whole\":1}", "{\"next\":2}");
        assertThat(Files.readAllLines(fresh)).containsExactly("{\"first\":1}");
    }
}
