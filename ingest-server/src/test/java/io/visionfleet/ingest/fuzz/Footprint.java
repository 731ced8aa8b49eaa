package io.visionfleet.ingest.fuzz;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** The server's memory, measured in its own JVM (the tests run it in-process): heap after a full GC, and the RSS. */
record Footprint(long heapBytes, long rssBytes) {

    static Footprint measure() {
        for (int i = 0; i < 3; i++) {
            System.gc(); // measurement, not synchronisation: the used heap after collection is the retained memory
        }
        return new Footprint(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), rss());
    }

    private static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1; // not Linux: RSS unknown
        }
        return -1;
    }

    @Override
    public String toString() {
        return String.format("heap %.1f MiB, RSS %.0f MiB", heapBytes / 1048576.0, rssBytes / 1048576.0);
    }
}
