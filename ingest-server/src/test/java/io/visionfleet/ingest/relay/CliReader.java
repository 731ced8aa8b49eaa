package io.visionfleet.ingest.relay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The bundled ffmpeg CLI reading the relay and printing the MD5 of every decoded picture as it goes
 * ({@code framemd5}, flushed per picture), with its error output (decode errors included) collected.
 */
final class CliReader implements AutoCloseable {
    private final Process process;
    private final List<String> digests = new ArrayList<>();
    private final StringBuffer errors = new StringBuffer();
    private final Thread stdout;
    private final Thread stderr;

    CliReader(String url) {
        process = FfmpegCli.readRelay("error", url, "-flush_packets", "1");
        stdout = pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII)), line -> {
            String md5 = FfmpegCli.md5Of(line);
            if (md5 != null) {
                synchronized (digests) {
                    digests.add(md5);
                }
            }
        });
        stderr = pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)),
                line -> errors.append(line).append('\n'));
    }

    long pid() {
        return process.pid();
    }

    int count() {
        synchronized (digests) {
            return digests.size();
        }
    }

    /** The {@code framemd5} of every picture decoded so far, in order. */
    List<String> digests() {
        synchronized (digests) {
            return List.copyOf(digests);
        }
    }

    String errors() {
        return errors.toString();
    }

    /** Sends a signal to the process ({@code STOP} freezes it, socket unread; {@code CONT} resumes it). */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " failed");
        }
    }

    private static Thread pump(BufferedReader reader, java.util.function.Consumer<String> sink) {
        Thread thread = new Thread(() -> {
            try (reader) {
                for (String line; (line = reader.readLine()) != null; ) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "ffmpeg-output");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        stdout.join(TimeUnit.SECONDS.toMillis(5));
        stderr.join(TimeUnit.SECONDS.toMillis(5));
    }
}
