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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    private final Map<String, double[]> started = new HashMap<>();
    private final List<String> lines = new ArrayList<>();
    private double[] atPlanStart;
    private double discovery = -1;

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        atPlanStart = cpuSeconds();
    }

    @Override
    public void executionStarted(TestIdentifier id) {
        double[] now = cpuSeconds();
        if (now.length > 0 && isClass(id)) {
            if (discovery < 0) {
                discovery = now[0] + now[1];
            }
            started.put(id.getUniqueId(), now);
        }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        double[] begin = started.remove(id.getUniqueId());
        if (begin != null) {
            double[] end = cpuSeconds();
            lines.add(String.format("%8.1f %8.1f %s", end[0] - begin[0], end[1] - begin[1], name(id)));
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        if (atPlanStart == null || atPlanStart.length == 0 || lines.isEmpty()) {
            return;
        }
        lines.sort((a, b) -> Double.compare(total(b), total(a)));
        List<String> report = new ArrayList<>(List.of("# CPU seconds: test JVM, child processes, test class",
                String.format("%8.1f %8s %s", discovery, "-", "discovery (JVM start, Quarkus builds per test profile)")));
        report.addAll(lines);
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

    private static double total(String line) {
        String[] fields = line.trim().split("\\s+");
        return Double.parseDouble(fields[0]) + Double.parseDouble(fields[1]);
    }

    /** {self, waited-for children} CPU seconds of this JVM, user and system; empty where there is no /proc. */
    private static double[] cpuSeconds() {
        try {
            String stat = Files.readString(STAT);
            // fields after the command name, which is in parentheses and may hold spaces: state is field 3
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            double self = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            double children = Long.parseLong(f[13]) + Long.parseLong(f[14]);
            return new double[] {self / TICKS_PER_SECOND, children / TICKS_PER_SECOND};
        } catch (IOException | RuntimeException e) {
            return new double[0];
        }
    }
}
