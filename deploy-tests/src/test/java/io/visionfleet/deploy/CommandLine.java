package io.visionfleet.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a tool the deployment is checked with (docker-compose, kubectl, rabbitmqctl) and returns its output. */
final class CommandLine {
    private CommandLine() {
    }

    /**
     * The first of {@code names} found on the PATH (or, for a name with a slash, at that path); fails the test naming
     * what to install when none is.
     */
    static String require(String installHint, String... names) {
        for (String name : names) {
            if (name.contains("/") && Files.isExecutable(Path.of(name))) {
                return name;
            }
            for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name).toString();
                }
            }
        }
        throw new AssertionError("none of " + List.of(names) + " is on the PATH: " + installHint);
    }

    /** Runs {@code command} in the repository root; its stdout, or an assertion error with stderr when it fails. */
    static String run(Duration timeout, String... command) {
        return run(timeout, Map.of(), command);
    }

    /** {@link #run(Duration, String...)} with {@code environment} changed: a variable mapped to "" is removed. */
    static String run(Duration timeout, Map<String, String> environment, String... command) {
        try {
            Path err = Files.createTempFile("cmd", ".err");
            Path out = Files.createTempFile("cmd", ".out");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).directory(Repo.ROOT.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                environment.forEach((name, value) -> {
                    if (value.isEmpty()) {
                        builder.environment().remove(name);
                    } else {
                        builder.environment().put(name, value);
                    }
                });
                Process p = builder.start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
                }
                if (p.exitValue() != 0) {
                    throw new AssertionError(String.join(" ", command) + " exited with " + p.exitValue() + ":\n"
                            + Files.readString(err, StandardCharsets.UTF_8));
                }
                return Files.readString(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(err);
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
