import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One window of the scale benchmark: reads every consuming service's {@code GET /streams} and every process's CPU
 * time at the start and the end of {@code SECONDS}, and prints, per service, a markdown row with the per-stream
 * processed frame rate (min and mean over the clip's streams, and min / input rate), the total processed frames/s
 * over all its streams, its load and frames skipped for capacity, its CPU and threads; then the CPU of the other
 * processes, the load average, and over the window itself the mean run queue, how busy the cores were and how much of
 * that in the kernel, and which processes that run queue was made of: each one's threads on a core or waiting for one,
 * on average (from the scheduler's per-thread counts, {@code /proc/<pid>/task/<tid>/schedstat}), and within each
 * service, its pool threads', its grab threads' and the rest's. Replicas of one service (the same name given twice)
 * count as one: their streams together, their CPU and threads summed, their loads listed.
 *
 *   java -cp <jackson> ScaleProbe.java K SECONDS STREAM,STREAM,... service=port:pid ... process=pid[+pid...] ...
 */
public class ScaleProbe {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Reads need a credential: FLEET_API_TOKEN, else the token `./fleet up` keeps in FLEET_HOME. */
    private static final String BEARER = "Bearer " + token();
    private static final long TICKS = 100; // USER_HZ on Linux
    /** Thread name prefixes of the consumers' pool and grab threads (names are cut at 15 characters). */
    private static final String[] THREAD_KINDS = {"rtsp-process-", "rtsp-grab-"};

    record Service(String name, List<Integer> ports, List<Long> pids) {
    }

    record Counts(Map<String, long[]> streams, List<String> loads) {
    }

    public static void main(String[] args) throws Exception {
        int k = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        Set<String> clipStreams = Set.of(args[2].split(","));
        Map<String, Service> services = new LinkedHashMap<>();
        Map<String, List<Long>> processes = new LinkedHashMap<>();
        for (int i = 3; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            if (kv[1].contains(":")) {
                String[] portPid = kv[1].split(":");
                Service s = services.computeIfAbsent(kv[0], name -> new Service(name, new ArrayList<>(), new ArrayList<>()));
                s.ports.add(Integer.parseInt(portPid[0]));
                s.pids.add(Long.parseLong(portPid[1]));
            } else {
                processes.put(kv[0], Arrays.stream(kv[1].split("\\+")).map(Long::parseLong).toList());
            }
        }
        Map<String, Counts> before = new LinkedHashMap<>();
        Map<Long, Long> cpuBefore = new LinkedHashMap<>();
        for (Service s : services.values()) {
            before.put(s.name, counts(s));
            s.pids.forEach(pid -> cpuBefore.put(pid, cpuTicks(pid)));
        }
        processes.values().forEach(pids -> pids.forEach(pid -> cpuBefore.put(pid, cpuTicks(pid))));
        Map<Long, Map<Long, Long>> queuedBefore = new LinkedHashMap<>();
        cpuBefore.keySet().forEach(pid -> queuedBefore.put(pid, queuedNanos(pid)));
        long t0 = System.nanoTime();
        long[] machineBefore = machineTicks();
        double runQueue = meanRunQueue(t0 + seconds * 1_000_000_000L); // the measurement window
        long[] machineAfter = machineTicks();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        for (Service s : services.values()) {
            Counts after = counts(s);
            Map<String, long[]> start = before.get(s.name).streams;
            List<Double> clipFps = new ArrayList<>();
            List<Double> clipIn = new ArrayList<>();
            double total = 0;
            long skipped = 0;
            int moved = 0;
            for (Map.Entry<String, long[]> e : after.streams.entrySet()) {
                long[] a = e.getValue();
                long[] b = start.get(e.getKey());
                // the stream came to this replica during the window, or came back to it after it left: its counts
                // started over
                if (b == null || a[0] < b[0] || a[1] < b[1]) {
                    moved++;
                    continue;
                }
                double processed = (a[1] - b[1]) / elapsed;
                total += processed;
                skipped += a[2] - b[2];
                if (clipStreams.contains(e.getKey().substring(e.getKey().indexOf('/') + 1))) {
                    clipFps.add(processed);
                    clipIn.add((a[0] - b[0]) / elapsed);
                }
            }
            double min = clipFps.stream().mapToDouble(Double::doubleValue).min().orElse(0);
            double mean = clipFps.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            double in = clipIn.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            System.out.printf(Locale.ROOT, "| %d | %s | %d of %d%s | %.1f / %.1f | %.2f | %.2f | %.1f | %s | %d | %.0f%% | %d |%n",
                    k, s.name, clipFps.size(), clipStreams.size(), moved > 0 ? " (" + moved + " moved)" : "", min, mean,
                    in > 0 ? min / in : 0,
                    mean > 0 ? min / mean : 0, total, after.loads.isEmpty() ? "-" : String.join(" + ", after.loads), skipped,
                    s.pids.stream().mapToDouble(pid -> cpuPercent(pid, cpuBefore, elapsed)).sum(),
                    s.pids.stream().mapToInt(ScaleProbe::threads).sum());
        }
        StringBuilder others = new StringBuilder();
        processes.forEach((name, pids) -> others.append(String.format(Locale.ROOT, "%s %.0f%%, ", name,
                pids.stream().mapToDouble(pid -> cpuPercent(pid, cpuBefore, elapsed)).sum())));
        System.out.printf(Locale.ROOT, "K=%d other processes (100%% = one core): %sload average %s; in the window: run queue"
                        + " %.1f, cores busy %.0f%% (in the kernel %.0f%%)%n", k, others,
                Files.readString(Path.of("/proc/loadavg")).split(" ")[0], runQueue,
                100.0 * (machineAfter[0] - machineBefore[0]) / Math.max(1, machineAfter[1] - machineBefore[1]),
                100.0 * (machineAfter[2] - machineBefore[2]) / Math.max(1, machineAfter[1] - machineBefore[1]));
        StringBuilder queue = new StringBuilder();
        Map<String, List<Long>> everyone = new LinkedHashMap<>();
        services.values().forEach(s -> everyone.put(s.name, s.pids));
        everyone.putAll(processes);
        everyone.forEach((name, pids) -> queue.append(String.format(Locale.ROOT, "%s %.2f, ", name,
                pids.stream().mapToDouble(pid -> runnable(pid, queuedBefore.get(pid), elapsed)).sum())));
        System.out.printf("K=%d run queue by process (threads on a core or waiting for one): %s%n", k,
                queue.substring(0, queue.length() - 2));
        StringBuilder kinds = new StringBuilder();
        for (Service s : services.values()) {
            double[] byKind = new double[THREAD_KINDS.length + 1];
            s.pids.forEach(pid -> runnableByKind(pid, queuedBefore.get(pid), elapsed, byKind));
            kinds.append(String.format(Locale.ROOT, "%s pool %.2f, grab %.2f, other %.2f; ", s.name, byKind[0],
                    byKind[1], byKind[2]));
        }
        System.out.printf("K=%d run queue of the services by thread (pool: the shared processing threads; grab: each"
                + " stream's reading and decoding thread): %s%n", k, kinds.substring(0, kinds.length() - 2));
    }

    /**
     * How many of the process's threads were on a core or waiting for one, on average over the window: each thread's
     * time running plus waiting in a run queue, summed (threads that started or ended within the window left out).
     */
    private static double runnable(long pid, Map<Long, Long> before, double elapsed) {
        double[] byKind = new double[THREAD_KINDS.length + 1];
        runnableByKind(pid, before, elapsed, byKind);
        return Arrays.stream(byKind).sum();
    }

    /** Like {@link #runnable}, summed into {@code byKind} by {@link #THREAD_KINDS}, the rest last. */
    private static void runnableByKind(long pid, Map<Long, Long> before, double elapsed, double[] byKind) {
        for (Map.Entry<Long, Long> thread : queuedNanos(pid).entrySet()) {
            Long start = before.get(thread.getKey());
            if (start == null) {
                continue;
            }
            String name;
            try {
                name = Files.readString(Path.of("/proc/" + pid + "/task/" + thread.getKey() + "/comm")).trim();
            } catch (Exception e) {
                continue; // the thread ended
            }
            int kind = 0;
            while (kind < THREAD_KINDS.length && !name.startsWith(THREAD_KINDS[kind])) {
                kind++;
            }
            byKind[kind] += (thread.getValue() - start) / 1e9 / elapsed;
        }
    }

    /** Per thread of the process, its nanoseconds on a core plus waiting for one so far; empty once it is gone. */
    private static Map<Long, Long> queuedNanos(long pid) {
        Map<Long, Long> times = new LinkedHashMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String[] f = Files.readString(task.resolve("schedstat")).trim().split(" ");
                    times.put(Long.parseLong(task.getFileName().toString()), Long.parseLong(f[0]) + Long.parseLong(f[1]));
                } catch (Exception e) {
                    // the thread ended
                }
            }
        } catch (Exception e) {
            // the process ended
        }
        return times;
    }

    /**
     * The mean number of runnable threads on the machine until {@code deadlineNanos}, sampled ten times a second
     * ({@code procs_running}, less this sampler): what the load average counts, without its minute-long memory of
     * what ran before the window (the streams' senders and readers starting).
     */
    private static double meanRunQueue(long deadlineNanos) throws Exception {
        long sum = 0;
        int samples = 0;
        while (System.nanoTime() < deadlineNanos) {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("procs_running ")) {
                    sum += Long.parseLong(line.substring(14).trim()) - 1;
                    samples++;
                }
            }
            Thread.sleep(100); // the sampling period; the caller measures the window's length itself
        }
        return samples == 0 ? 0 : (double) sum / samples;
    }

    /**
     * The machine's busy, total and in-kernel CPU ticks so far, all cores ({@code /proc/stat}'s cpu line; idle and
     * iowait idle; system, irq and softirq in the kernel, which on a VM includes the price of each syscall and wake-up).
     */
    private static long[] machineTicks() throws Exception {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < Math.min(f.length, 9); i++) {
            total += Long.parseLong(f[i]);
        }
        long kernel = Long.parseLong(f[3]) + Long.parseLong(f[6]) + Long.parseLong(f[7]);
        return new long[]{total - Long.parseLong(f[4]) - Long.parseLong(f[5]), total, kernel};
    }

    private static String token() {
        String given = System.getenv("FLEET_API_TOKEN");
        if (given != null && !given.isBlank()) {
            return given.trim();
        }
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(System.getenv().getOrDefault("FLEET_HOME", ".fleet"),
                    "fleet-token")).trim();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("no FLEET_API_TOKEN and no FLEET_HOME/fleet-token to read /streams with", e);
        }
    }

    /**
     * Per replica and stream ({@code port/stream}): frames in, frames processed, skipped for capacity; and each
     * replica's load, where it reports one.
     */
    private static Counts counts(Service s) throws Exception {
        Map<String, long[]> streams = new LinkedHashMap<>();
        List<String> loads = new ArrayList<>();
        for (int port : s.ports) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/streams"))
                    .header("Authorization", BEARER).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            String load = null;
            for (JsonNode stream : JSON.readTree(response.body())) {
                streams.put(port + "/" + stream.get("stream_id").asText(), new long[]{stream.get("frames_in").asLong(),
                        stream.get("frames_processed").asLong(), stream.path("skipped_for_capacity").asLong()});
                if (stream.hasNonNull("load")) {
                    load = String.format(Locale.ROOT, "%.2f", stream.get("load").asDouble());
                }
            }
            if (load != null) {
                loads.add(load);
            }
        }
        return new Counts(streams, loads);
    }

    private static double cpuPercent(long pid, Map<Long, Long> before, double elapsed) {
        long ticks = cpuTicks(pid) - before.get(pid);
        return 100.0 * ticks / TICKS / elapsed;
    }

    /** utime + stime of a process; 0 once it is gone. */
    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (Exception e) {
            return 0;
        }
    }

    private static int threads(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("Threads:")) {
                    return Integer.parseInt(line.substring(8).trim());
                }
            }
        } catch (Exception e) {
            // gone
        }
        return 0;
    }
}
