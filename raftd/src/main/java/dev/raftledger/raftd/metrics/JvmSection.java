package dev.raftledger.raftd.metrics;

import dev.raftledger.raftd.metrics.PrometheusText.Type;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.List;

/**
 * Process and JVM series under the names the Prometheus Java client (simpleclient_hotspot)
 * uses, so existing dashboards work: start time, CPU, heap and non-heap memory, threads, garbage
 * collection. All from java.lang.management and ProcessHandle; no extra library.
 */
final class JvmSection {

    private JvmSection() {}

    static void write(PrometheusText w) {
        w.single("process_start_time_seconds", Type.GAUGE, "Start time of the process since the Unix epoch.",
                ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0);
        ProcessHandle.current().info().totalCpuDuration().ifPresent(cpu ->
                w.single("process_cpu_seconds_total", Type.COUNTER, "User and system CPU time spent by the process.",
                        cpu.toNanos() / 1e9));
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        w.family("jvm_memory_bytes_used", Type.GAUGE, "Used bytes of a JVM memory area.")
                .sample("jvm_memory_bytes_used", heap.getUsed(), "area", "heap")
                .sample("jvm_memory_bytes_used", nonHeap.getUsed(), "area", "nonheap");
        w.family("jvm_memory_bytes_committed", Type.GAUGE, "Committed bytes of a JVM memory area.")
                .sample("jvm_memory_bytes_committed", heap.getCommitted(), "area", "heap")
                .sample("jvm_memory_bytes_committed", nonHeap.getCommitted(), "area", "nonheap");
        if (heap.getMax() >= 0) {
            w.family("jvm_memory_bytes_max", Type.GAUGE, "Largest size the JVM memory area may grow to.")
                    .sample("jvm_memory_bytes_max", heap.getMax(), "area", "heap");
        }
        w.single("jvm_threads_current", Type.GAUGE, "Live threads of the JVM.",
                ManagementFactory.getThreadMXBean().getThreadCount());
        List<GarbageCollectorMXBean> gcs = ManagementFactory.getGarbageCollectorMXBeans();
        // A summary without quantiles: _count is the number of collections, _sum their total time.
        w.family("jvm_gc_collection_seconds", Type.SUMMARY, "Collections run by each garbage collector, and their time.");
        for (GarbageCollectorMXBean gc : gcs) {
            w.sample("jvm_gc_collection_seconds_count", Math.max(0, gc.getCollectionCount()), "gc", gc.getName());
            w.sample("jvm_gc_collection_seconds_sum", Math.max(0, gc.getCollectionTime()) / 1000.0, "gc", gc.getName());
        }
    }
}
