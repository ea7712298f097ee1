package dev.dualsocket.bench;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Collects latencies from any number of threads without contention: each thread records into its own
 * {@link Histogram}, merged by {@link #merged()} once recording has stopped. Also counts failed operations.
 */
public final class Recorder {

	private final List<Histogram> histograms = new CopyOnWriteArrayList<>();

	private final ThreadLocal<Histogram> local = ThreadLocal.withInitial(this::newHistogram);

	private final AtomicLong errors = new AtomicLong();

	/** A histogram for one thread to record into directly (cheaper than {@link #record} in a hot loop). */
	public Histogram newHistogram() {
		Histogram histogram = new Histogram();
		this.histograms.add(histogram);
		return histogram;
	}

	public void record(long nanos) {
		this.local.get().record(nanos);
	}

	public void error() {
		this.errors.incrementAndGet();
	}

	/**
	 * Counts a failed call, and prints the first one's cause, so that a run says what failed.
	 * @param failure why the call failed
	 */
	public void error(Throwable failure) {
		if (this.errors.incrementAndGet() == 1) {
			Throwable cause = (failure instanceof java.util.concurrent.ExecutionException && failure.getCause() != null)
					? failure.getCause() : failure;
			System.err.println("  first failed call of the round: " + cause);
		}
	}

	public long errors() {
		return this.errors.get();
	}

	/** All threads' values together; call once every recording thread has stopped. */
	public Histogram merged() {
		Histogram all = new Histogram();
		this.histograms.forEach(all::add);
		return all;
	}

}
