package dev.raftledger.raftd.metrics;

import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.List;

/**
 * Process and JVM series under the names the Prometheus Java client's 0.x hotspot module
 * (simpleclient_hotspot) uses, so existing dashboards work: start time, CPU, heap and non-heap
 * memory, threads, garbage collection. Read from java.lang.management and ProcessHandle at
 * each scrape; the 1.x client's own JVM module (prometheus-metrics-instrumentation-jvm) is not
 * used, as it names these series differently ({@code jvm_memory_used_bytes}, ...).
 */
final class JvmSection {

    private JvmSection() {}

    static void write(Families w) {
        w.gauge("process_start_time_seconds", "Start time of the process since the Unix epoch.",
                ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0);
        ProcessHandle.current().info().totalCpuDuration().ifPresent(cpu ->
                w.counter("process_cpu_seconds_total", "User and system CPU time spent by the process.",
                        cpu.toNanos() / 1e9));
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        w.gauge("jvm_memory_bytes_used", "Used bytes of a JVM memory area.", List.of(
                Families.point(heap.getUsed(), "area", "heap"), Families.point(nonHeap.getUsed(), "area", "nonheap")));
        w.gauge("jvm_memory_bytes_committed", "Committed bytes of a JVM memory area.", List.of(
                Families.point(heap.getCommitted(), "area", "heap"),
                Families.point(nonHeap.getCommitted(), "area", "nonheap")));
        if (heap.getMax() >= 0) {
            w.gauge("jvm_memory_bytes_max", "Largest size the JVM memory area may grow to.",
                    List.of(Families.point(heap.getMax(), "area", "heap")));
        }
        w.gauge("jvm_threads_current", "Live threads of the JVM.",
                ManagementFactory.getThreadMXBean().getThreadCount());
        // A summary without quantiles: _count is the number of collections, _sum their total time.
        SummarySnapshot.Builder gc = SummarySnapshot.builder().name("jvm_gc_collection_seconds")
                .help("Collections run by each garbage collector, and their time.");
        for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            gc.dataPoint(SummaryDataPointSnapshot.builder().labels(Labels.of("gc", bean.getName()))
                    .count(Math.max(0, bean.getCollectionCount()))
                    .sum(Math.max(0, bean.getCollectionTime()) / 1000.0).build());
        }
        w.add(gc.build());
    }
}
