package io.visionfleet.common.testing;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where a module's test time goes in CPU, which wall time hides when modules run side by side: for each top-level
 * test class, the CPU seconds of the test JVM and of the child processes it waited for (relays and services started
 * as processes, FFmpeg...), written to {@code target/test-cpu.txt} (or the file {@value #REPORT_PROPERTY} names: failsafe's
 * runs write another) when the run ends, the costliest first; "discovery"
 * is what came before the first class (Quarkus builds an application per test profile then). Read from
 * {@code /proc/self/stat}, so Linux only; elsewhere nothing is written. Registered for every module through the common
 * test-jar's {@code META-INF/services}.
 */
public final class CpuPerTestClass implements TestExecutionListener {
    private static final Path STAT = Path.of("/proc/self/stat");
    static final String REPORT_PROPERTY = "fleet.test.cpu-report";
    /** Linux reports process times in USER_HZ ticks, 100 a second on every architecture. */
    private static final double TICKS_PER_SECOND = 100;

    /** CPU seconds of the test JVM and of its waited-for children. */
    private record Cpu(double self, double children) {
        Cpu minus(Cpu earlier) {
            return new Cpu(self - earlier.self, children - earlier.children);
        }

        double total() {
            return self + children;
        }
    }

    private record ClassCpu(String className, Cpu cpu) {
    }

    private final Map<String, Cpu> started = new HashMap<>();
    private final List<ClassCpu> classes = new ArrayList<>();
    private Cpu discovery;

    @Override
    public void executionStarted(TestIdentifier id) {
        if (isClass(id)) {
            cpu().ifPresent(now -> {
                if (discovery == null) {
                    discovery = now;
                }
                started.put(id.getUniqueId(), now);
            });
        }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        Cpu begin = started.remove(id.getUniqueId());
        if (begin != null) {
            cpu().ifPresent(end -> classes.add(new ClassCpu(name(id), end.minus(begin))));
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        if (classes.isEmpty()) {
            return;
        }
        classes.sort(Comparator.comparingDouble((ClassCpu c) -> c.cpu().total()).reversed());
        List<String> report = new ArrayList<>(List.of("# CPU seconds: test JVM, child processes, test class",
                String.format(Locale.ROOT, "%8.1f %8s %s", discovery.total(), "-",
                        "discovery (JVM start, Quarkus builds per test profile)")));
        classes.forEach(c -> report.add(String.format(Locale.ROOT, "%8.1f %8.1f %s", c.cpu().self(),
                c.cpu().children(), c.className())));
        Path file = Path.of(System.getProperty(REPORT_PROPERTY, "target/test-cpu.txt"));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isClass(TestIdentifier id) {
        return id.getSource().filter(ClassSource.class::isInstance).isPresent() && id.getParentId().isPresent()
                && id.getParentId().get().split("/").length == 1;
    }

    private static String name(TestIdentifier id) {
        return id.getSource().map(s -> ((ClassSource) s).getClassName()).orElse(id.getDisplayName());
    }

    /** This JVM's CPU so far, user and system; empty where there is no /proc. */
    private static Optional<Cpu> cpu() {
        try {
            String stat = Files.readString(STAT);
            // fields after the command name, which is in parentheses and may hold spaces: state is field 3
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(new Cpu((Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND,
                    (Long.parseLong(f[13]) + Long.parseLong(f[14])) / TICKS_PER_SECOND));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
