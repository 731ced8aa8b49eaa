package io.visionfleet.ingest.source;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where a pull source reads from: an RTSP URL (an IP camera, another relay) or a local video file, given as a
 * {@code file:} URL with an absolute path.
 *
 * @param url   the URL as configured
 * @param kind  live RTSP or a file played in a loop
 * @param input what FFmpeg opens: the RTSP URL, or the file's path
 */
public record SourceUrl(String url, Kind kind, String input) {
    /** The password part of {@code scheme://user:password@host}. */
    private static final Pattern PASSWORD = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@]*):[^@/]*@");

    public enum Kind {
        RTSP, FILE;

        /** How status names the feed. */
        public String feedName() {
            return name().toLowerCase();
        }
    }

    /** @throws IllegalArgumentException with a reason a user can act on */
    public static SourceUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("url is required: rtsp://host[:port]/path or file:/absolute/path.mp4");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url is not a valid URI: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        switch (scheme) {
            case "rtsp", "rtsps" -> {
                if (uri.getHost() == null) {
                    throw new IllegalArgumentException("RTSP url needs a host: rtsp://host[:port]/path");
                }
                return new SourceUrl(url, Kind.RTSP, uri.toString());
            }
            case "file" -> {
                if (uri.isOpaque() || uri.getPath() == null || !uri.getPath().startsWith("/")) {
                    throw new IllegalArgumentException("file url needs an absolute path: file:/path/video.mp4");
                }
                Path path = Path.of(uri);
                if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                    throw new IllegalArgumentException("no readable file at " + path);
                }
                return new SourceUrl(url, Kind.FILE, path.toString());
            }
            default -> throw new IllegalArgumentException(
                    "unsupported url scheme '" + scheme + "': use rtsp://, rtsps:// or file:");
        }
    }

    /** The URL without any password, for logs, status and stream events. */
    public String redacted() {
        return PASSWORD.matcher(url).replaceFirst("$1:***@");
    }
}
