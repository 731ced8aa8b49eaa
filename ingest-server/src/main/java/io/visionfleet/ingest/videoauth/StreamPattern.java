package io.visionfleet.ingest.videoauth;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which stream ids a credential covers: a glob ({@code *} any run of characters, {@code ?} one character, everything
 * else literal) or, after a leading {@code ~}, a regular expression; either must match the whole id.
 */
final class StreamPattern {
    private final String text;
    private final Pattern pattern;

    private StreamPattern(String text, Pattern pattern) {
        this.text = text;
        this.pattern = pattern;
    }

    /** @throws IllegalArgumentException when the regular expression does not compile */
    static StreamPattern parse(String text) {
        String trimmed = text.trim();
        if (trimmed.startsWith("~")) {
            try {
                return new StreamPattern(trimmed, Pattern.compile(trimmed.substring(1)));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("stream pattern '" + trimmed + "' is not a regular expression: "
                        + e.getDescription());
            }
        }
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : trimmed.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return new StreamPattern(trimmed, Pattern.compile(regex.toString()));
    }

    boolean matches(String streamId) {
        return pattern.matcher(streamId).matches();
    }

    @Override
    public String toString() {
        return text;
    }
}
