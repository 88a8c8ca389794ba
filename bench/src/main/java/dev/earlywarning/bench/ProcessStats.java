package dev.earlywarning.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time and resident memory of a process, from Linux's {@code /proc}: this JVM's and the
 * broker's, which runs in its own JVM and shares the cores. Values are -1 where /proc has none.
 */
public final class ProcessStats {

    /** Linux reports CPU time in clock ticks of 1/100 s on every common configuration. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessStats() {}

    public static long selfPid() {
        return ProcessHandle.current().pid();
    }

    /** CPU seconds (user + system) this JVM has used so far, every thread included. */
    public static double selfCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean)
                ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    /** CPU seconds (user + system) of process {@code pid}, or -1. */
    public static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // The command name may contain spaces; the fields after its closing paren do not.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Resident memory now, in MB, or -1. */
    public static long rssMb(long pid) {
        return statusMb(pid, "VmRSS:");
    }

    /** Peak resident memory over the process's life, in MB, or -1. */
    public static long peakRssMb(long pid) {
        return statusMb(pid, "VmHWM:");
    }

    private static long statusMb(long pid, String field) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"));
            for (String line : lines) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }
}
