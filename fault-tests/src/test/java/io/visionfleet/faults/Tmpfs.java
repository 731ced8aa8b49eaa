package io.visionfleet.faults;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A size-limited tmpfs mounted on a test directory: a real small file system that fills up. Mounting needs root;
 * without it (or when the mount fails) the test is skipped with the reason printed. Unmounted on close.
 */
final class Tmpfs implements AutoCloseable {
    private final Path dir;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code size} (e.g. {@code 8m}) on {@code dir}, or skips the test. */
    static Tmpfs mountOrSkip(Path dir, String size) throws IOException {
        Files.createDirectories(dir);
        Result uid = run("id", "-u");
        skipUnless(uid.ok() && uid.output().strip().equals("0"), "needs root to mount a tmpfs (uid " + uid.output().strip() + ")");
        Result mount = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toAbsolutePath().toString());
        skipUnless(mount.ok(), "mounting a tmpfs on " + dir + " failed: " + mount.output());
        return new Tmpfs(dir);
    }

    Path dir() {
        return dir;
    }

    /** Writes file {@code name} until the file system is full, as another program filling the disk would. */
    Path fill(String name) throws IOException {
        Path file = dir.resolve(name);
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left on device")) {
                throw e;
            }
        }
        return file;
    }

    @Override
    public void close() throws IOException {
        Result umount = run("umount", dir.toAbsolutePath().toString());
        if (!umount.ok()) {
            throw new IOException("unmounting " + dir + ": " + umount.output());
        }
    }

    private static void skipUnless(boolean condition, String reason) {
        if (!condition) {
            System.out.println("SKIPPED full-disk test: " + reason);
        }
        Assumptions.assumeTrue(condition, reason);
    }

    private record Result(int exit, String output) {
        boolean ok() {
            return exit == 0;
        }
    }

    private static Result run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, String.join(" ", command) + " timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
        return new Result(process.exitValue(), output);
    }
}
