package io.visionfleet.ingest.source;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The one directory whose videos {@code POST /streams} may relay as {@code file:} sources
 * ({@code fleet.sources.media-dir}). A path outside it is refused before anything is said about the file, whether it
 * leaves by its own name, by {@code ..} or through a symbolic link (the file's real path must lie under the
 * directory's real path). Sources from the configuration are the operator's and are not checked.
 */
@ApplicationScoped
public class MediaDirectory {
    private final Path dir;

    @Inject
    public MediaDirectory(SourcesConfig config) {
        this(config.mediaDir());
    }

    MediaDirectory(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** Refusal of a {@code file:} source outside the media directory; the message is the reason. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    public Path dir() {
        return dir;
    }

    /**
     * Checks the {@code file:} URL {@code url}; any other URL, or one {@link SourceUrl#parse} will refuse anyway, passes.
     *
     * @throws Refused naming the media directory when the file is not under it
     */
    public void check(String url) {
        if (url == null) {
            return;
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            return;
        }
        if (uri.getScheme() == null || !uri.getScheme().toLowerCase(Locale.ROOT).equals("file") || uri.isOpaque()
                || uri.getPath() == null || !uri.getPath().startsWith("/")) {
            return;
        }
        Path given = Path.of(uri.getPath()).normalize();
        if (!given.startsWith(dir)) {
            throw new Refused("file sources must lie under the media directory " + dir + " (fleet.sources.media-dir); "
                    + uri.getPath() + " does not");
        }
        if (Files.exists(given, LinkOption.NOFOLLOW_LINKS)) {
            Path real;
            Path realDir;
            try {
                real = given.toRealPath();
                realDir = dir.toRealPath();
            } catch (IOException e) {
                throw new Refused("file source " + uri.getPath() + " cannot be resolved inside the media directory "
                        + dir + ": " + e.getClass().getSimpleName());
            }
            if (!real.startsWith(realDir)) {
                throw new Refused("file source " + uri.getPath() + " leads out of the media directory " + dir
                        + " through a symbolic link");
            }
        }
    }
}
