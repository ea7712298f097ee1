package dev.dualsocket.test;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import io.netty.util.internal.PlatformDependent;

/**
 * What this JVM holds in memory, heap and direct, for tests that bound how much an endpoint may grow under load or
 * attack: take a {@link #settled(Duration) settled} measurement before, {@link #watch(Duration) watch} the peak during,
 * and compare.
 *
 * <p>It is an estimate. The heap figure is what is still used right after {@link System#gc()}, which on the JDK's
 * collectors runs a full collection and so leaves about the live set; with {@code -XX:+DisableExplicitGC} or
 * {@code -XX:+ExplicitGCInvokesConcurrent} it includes garbage too. G1 counts an array larger than half a region by
 * the whole regions it takes, up to a region more than its size. It covers the whole JVM: in a test where client,
 * server and attacker share a JVM, all of them count. Memory the kernel holds for socket buffers is not counted.
 *
 * <p>The direct figure adds what Netty allocates to what the JDK counts. Netty 4.2's allocators (the default adaptive
 * one and the pooled one) take their chunks from {@code PlatformDependent.allocateDirect}, and Netty counts every such
 * buffer in {@link PlatformDependent#usedDirectMemory()}, whichever way it allocates them. By default on JDK 9 and
 * later Netty allocates them with {@link java.nio.ByteBuffer#allocateDirect(int)}, so that the JDK's {@code direct}
 * buffer pool ({@link BufferPoolMXBean}) counts them as well, next to the JDK's own (the temporary buffers of blocking
 * socket I/O among them); with {@code -Dio.netty.tryReflectionSetAccessible=true} and {@code java.nio} opened to it,
 * Netty allocates without a cleaner, and only its own counter sees them. So the direct figure is the JDK's count plus
 * Netty's when Netty allocates without a cleaner, and the larger of the two otherwise.
 */
public final class MemoryProbe {

	private static final BufferPoolMXBean DIRECT = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
		.stream()
		.filter((pool) -> pool.getName().equals("direct"))
		.findFirst()
		.orElseThrow(() -> new IllegalStateException("this JVM reports no 'direct' buffer pool"));

	private MemoryProbe() {
	}

	/**
	 * Collects garbage and measures what is left.
	 * @return heap and direct memory used now
	 */
	public static Usage measure() {
		System.gc();
		long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
		long jdk = DIRECT.getMemoryUsed();
		long netty = Math.max(0, PlatformDependent.usedDirectMemory());
		long direct = PlatformDependent.useDirectBufferNoCleaner() ? jdk + netty : Math.max(jdk, netty);
		return new Usage(heap, direct);
	}

	/**
	 * Measures until two measurements in a row, 200 ms apart, differ by less than 1 MiB in total: a baseline that
	 * what an earlier test left behind (threads still finishing their work, say) no longer inflates.
	 * @param atMost how long to try; after it, the last measurement is returned as it is
	 * @return the last measurement
	 */
	public static Usage settled(Duration atMost) {
		long deadline = System.nanoTime() + atMost.toNanos();
		Usage last = measure();
		while (System.nanoTime() < deadline) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
			Usage now = measure();
			if (Math.abs(now.total() - last.total()) < 1024 * 1024) {
				return now;
			}
			last = now;
		}
		return last;
	}

	/**
	 * Measures every {@code interval} on a thread of its own until closed, keeping the highest total: the peak
	 * during a load, as far as the interval lets it be seen. Each measurement collects garbage, which pauses the
	 * JVM, so an interval much below a second slows everything else down.
	 * @param interval the time between two measurements
	 * @return the watch; close it to stop measuring
	 */
	public static Watch watch(Duration interval) {
		return new Watch(interval);
	}

	/**
	 * Memory used at one moment.
	 *
	 * @param heap heap bytes used
	 * @param direct direct (off-heap buffer) bytes used
	 */
	public record Usage(long heap, long direct) {

		/**
		 * Heap and direct together.
		 * @return the bytes
		 */
		public long total() {
			return this.heap + this.direct;
		}

		/**
		 * How much more this is than an earlier measurement, in each kind.
		 * @param baseline the earlier measurement
		 * @return the growth; negative where memory was freed
		 */
		public Usage minus(Usage baseline) {
			return new Usage(this.heap - baseline.heap, this.direct - baseline.direct);
		}

		@Override
		public String toString() {
			return mebibytes(this.heap) + " MiB heap + " + mebibytes(this.direct) + " MiB direct = "
					+ mebibytes(total()) + " MiB";
		}

		private static String mebibytes(long bytes) {
			return String.format(Locale.ROOT, "%.1f", bytes / (1024.0 * 1024.0));
		}

	}

	/**
	 * Measures at intervals until closed; see {@link MemoryProbe#watch(Duration)}.
	 */
	public static final class Watch implements AutoCloseable {

		private final AtomicReference<Usage> peak;

		private final Thread thread;

		private volatile boolean watching = true;

		private Watch(Duration interval) {
			this.peak = new AtomicReference<>(measure());
			this.thread = new Thread(() -> {
				while (this.watching) {
					LockSupport.parkNanos(interval.toNanos());
					record(measure());
				}
			}, "memory-probe");
			this.thread.setDaemon(true);
			this.thread.start();
		}

		private void record(Usage usage) {
			this.peak.accumulateAndGet(usage, (highest, now) -> (now.total() > highest.total()) ? now : highest);
		}

		/**
		 * The highest total measured so far, a measurement taken when the watch started included.
		 * @return the peak
		 */
		public Usage peak() {
			return this.peak.get();
		}

		/**
		 * Takes one last measurement and stops.
		 */
		@Override
		public void close() {
			this.watching = false;
			this.thread.interrupt();
			try {
				this.thread.join(Duration.ofSeconds(10).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			record(measure());
		}

	}

}
