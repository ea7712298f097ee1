package dev.dualsocket.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;

/**
 * What this JVM costs: CPU time, heap after a full collection, threads (all of them, and the library's, which are
 * named dual-socket-*).
 */
public final class ProcessStats {

	private ProcessStats() {
	}

	public static long cpuNanos() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return os.getProcessCpuTime();
		}
		return -1;
	}

	/** Heap in use after two full collections, in bytes. */
	public static long heapAfterGc() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		System.gc();
		System.gc();
		return memory.getHeapMemoryUsage().getUsed();
	}

	public static int threads() {
		return ManagementFactory.getThreadMXBean().getThreadCount();
	}

	public static int peakThreads() {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		return threads.getPeakThreadCount();
	}

	public static int libraryThreads() {
		return (int) Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().startsWith("dual-socket"))
			.count();
	}

}
