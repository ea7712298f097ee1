package dev.dualsocket.bench;

/**
 * A latency histogram in nanoseconds: an HdrHistogram with three significant digits (any recorded value is reported
 * within 0.1 % of itself), growing its range as values come. Not thread-safe: each recording thread owns one, and they
 * are merged once recording has stopped (see {@link Recorder}).
 */
public final class Histogram {

	private final org.HdrHistogram.Histogram recorded = new org.HdrHistogram.Histogram(3);

	/** The largest value exactly: HdrHistogram reports the top of its bucket. */
	private long max;

	public void record(long nanos) {
		long value = Math.max(0, nanos);
		this.recorded.recordValue(value);
		this.max = Math.max(this.max, value);
	}

	public void add(Histogram other) {
		this.recorded.add(other.recorded);
		this.max = Math.max(this.max, other.max);
	}

	public void reset() {
		this.recorded.reset();
		this.max = 0;
	}

	public long count() {
		return this.recorded.getTotalCount();
	}

	public long max() {
		return this.max;
	}

	/**
	 * The value below which the given share of the recorded values lie.
	 * @param quantile 0 to 1, e.g. 0.99
	 * @return nanoseconds, or 0 when nothing was recorded
	 */
	public long percentile(double quantile) {
		if (count() == 0) {
			return 0;
		}
		return (quantile >= 1.0) ? max() : Math.min(this.recorded.getValueAtPercentile(quantile * 100), max());
	}

	/**
	 * What the histogram reports for a value recorded alone: the value, within its resolution.
	 * @param value nanoseconds
	 * @return the value as reported
	 */
	static long reported(long value) {
		org.HdrHistogram.Histogram single = new org.HdrHistogram.Histogram(3);
		single.recordValue(value);
		return single.getValueAtPercentile(50);
	}

}
