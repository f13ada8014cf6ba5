package dev.raftledger.raftd.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the benchmarks print about the machine and processes they measure (Linux /proc). */
final class Machine {

    private Machine() {}

    static String describe() {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException e) {
            cpu = "unknown CPU (" + e.getMessage() + ")";
        }
        return Runtime.getRuntime().availableProcessors() + " cores, " + cpu + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.version")
                + ", Java " + Runtime.version();
    }

    /** CPU time (user + system) a process has used, in seconds, from /proc/PID/stat. */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
        return ticks / 100.0; // USER_HZ is 100 on Linux
    }

    /** Resident set size of a process in KiB, from /proc/PID/status. */
    static long rssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS for process " + pid);
    }

    /** CPU seconds used so far by all of {@code pids} together. */
    static double cpuSeconds(java.util.Collection<Long> pids) throws IOException {
        double total = 0;
        for (long pid : pids) {
            total += cpuSeconds(pid);
        }
        return total;
    }

    /** Sizes in MiB as "59/60/59": one per process, whole MiB. */
    static String mibList(java.util.List<Double> mib) {
        StringBuilder sb = new StringBuilder();
        for (double m : mib) {
            sb.append(sb.length() == 0 ? "" : "/").append(String.format(java.util.Locale.ROOT, "%.0f", m));
        }
        return sb.toString();
    }
}
