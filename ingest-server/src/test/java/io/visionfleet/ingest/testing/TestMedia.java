package io.visionfleet.ingest.testing;

import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The media directory of the tests ({@code %test.fleet.sources.media-dir}): under {@code target/}, not the system's
 * temporary directory, so that "outside the media directory" holds wherever the checkout lies (a clone under
 * {@code /tmp} put the whole build inside it). As a {@link TempDirFactory}, {@code @TempDir(factory = TestMedia.class)}
 * makes a fresh directory in it.
 */
public final class TestMedia implements TempDirFactory {
    private static final Path DIR = Path.of("target", "test-media").toAbsolutePath();
    private static final Path VTEST = Path.of("/usr/share/doc/opencv-doc/examples/data/vtest.avi");

    /** opencv-doc's vtest.avi (768x576 pedestrians, a real camera's video); the test is skipped without it. */
    public static Path vtest() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(VTEST), "opencv-doc's vtest.avi is not installed");
        return VTEST;
    }

    /** The media directory, made on first use. */
    public static Path dir() throws IOException {
        return Files.createDirectories(DIR);
    }

    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext extension) throws IOException {
        return Files.createTempDirectory(dir(), "junit");
    }
}
