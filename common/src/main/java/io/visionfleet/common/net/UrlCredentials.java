package io.visionfleet.common.net;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * User names and passwords in URLs ({@code rtsp://user:password@host/...}): taken out of a URL, put into one, and
 * masked in any text that may quote a URL (log lines, error messages, status), so that a password never leaves the
 * process through them.
 */
public final class UrlCredentials {
    /** {@code scheme://userinfo@} anywhere in a text; the user info runs to the last '@' before the path. */
    private static final Pattern USERINFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)([^\\s\"'/]*)@");

    /** A user name and password; {@link #toString()} never shows the password. */
    public record Login(String user, String password) {
        public Login {
            if (user == null || user.isEmpty()) {
                throw new IllegalArgumentException("user name must not be empty");
            }
            password = password == null ? "" : password;
        }

        @Override
        public String toString() {
            return "Login[user=" + user + "]";
        }
    }

    private UrlCredentials() {
    }

    /** {@code text} with the password of every URL in it replaced by {@code ***} (the user name stays). */
    public static String redact(String text) {
        if (text == null || text.indexOf('@') < 0) {
            return text;
        }
        return USERINFO.matcher(text).replaceAll(m -> {
            String userinfo = m.group(2);
            int colon = userinfo.indexOf(':');
            String user = colon < 0 ? userinfo : userinfo.substring(0, colon);
            return java.util.regex.Matcher.quoteReplacement(m.group(1) + user + ":***@");
        });
    }

    /** The login in {@code url}'s user info (percent-decoded), if it has one. */
    public static Optional<Login> loginOf(String url) {
        String raw = rawUserInfo(url);
        if (raw == null || raw.isEmpty()) {
            return Optional.empty();
        }
        int colon = raw.indexOf(':');
        String user = decode(colon < 0 ? raw : raw.substring(0, colon));
        String password = colon < 0 ? "" : decode(raw.substring(colon + 1));
        return user.isEmpty() ? Optional.empty() : Optional.of(new Login(user, password));
    }

    /** {@code url} without user info. */
    public static String withoutLogin(String url) {
        String raw = rawUserInfo(url);
        if (raw == null) {
            return url;
        }
        int start = url.indexOf("://") + 3;
        return url.substring(0, start) + url.substring(start + raw.length() + 1);
    }

    /** {@code url} (without user info) with {@code login} percent-encoded into it, as FFmpeg expects it. */
    public static String withLogin(String url, Login login) {
        String bare = withoutLogin(url);
        int start = bare.indexOf("://") + 3;
        return bare.substring(0, start) + encode(login.user()) + ":" + encode(login.password()) + "@" + bare.substring(start);
    }

    private static String rawUserInfo(String url) {
        try {
            return new URI(url).getRawUserInfo();
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Percent-encodes everything but RFC 3986's unreserved characters. */
    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A");
    }
}
