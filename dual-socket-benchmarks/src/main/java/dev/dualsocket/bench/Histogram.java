package dev.dualsocket.bench;

/**
 * A latency histogram in nanoseconds with log-linear buckets: exact below 128 ns, then 128 buckets per power of two,
 * so any recorded value is reported within 0.8 % of itself. Not thread-safe: each recording thread owns one, and they
 * are merged once recording has stopped (see {@link Recorder}).
 */
public final class Histogram {

	private static final int SUB_BITS = 7;

	private static final int SUB = 1 << SUB_BITS;

	/** Largest power of two kept apart; anything longer (over 18 minutes) lands in the last bucket. */
	private static final int MAX_EXPONENT = 40;

	private final long[] counts = new long[SUB + (MAX_EXPONENT - SUB_BITS + 1) * SUB];

	private long total;

	private long max;

	public void record(long nanos) {
		long value = Math.max(0, nanos);
		this.counts[index(value)]++;
		this.total++;
		if (value > this.max) {
			this.max = value;
		}
	}

	static int index(long value) {
		if (value < SUB) {
			return (int) value;
		}
		int exponent = 63 - Long.numberOfLeadingZeros(value);
		if (exponent > MAX_EXPONENT) {
			return SUB + (MAX_EXPONENT - SUB_BITS + 1) * SUB - 1;
		}
		int sub = (int) (value >>> (exponent - SUB_BITS)) - SUB;
		return SUB + (exponent - SUB_BITS) * SUB + sub;
	}

	/** The middle of the values a bucket holds. */
	static long valueOf(int index) {
		if (index < SUB) {
			return index;
		}
		int exponent = (index - SUB) / SUB + SUB_BITS;
		int sub = (index - SUB) % SUB;
		long low = ((long) SUB + sub) << (exponent - SUB_BITS);
		long width = 1L << (exponent - SUB_BITS);
		return low + (width - 1) / 2;
	}

	public void add(Histogram other) {
		for (int i = 0; i < this.counts.length; i++) {
			this.counts[i] += other.counts[i];
		}
		this.total += other.total;
		this.max = Math.max(this.max, other.max);
	}

	public void reset() {
		java.util.Arrays.fill(this.counts, 0);
		this.total = 0;
		this.max = 0;
	}

	public long count() {
		return this.total;
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
		if (this.total == 0) {
			return 0;
		}
		long rank = Math.max(1, (long) Math.ceil(quantile * this.total));
		if (rank >= this.total) {
			return this.max;
		}
		long seen = 0;
		for (int i = 0; i < this.counts.length; i++) {
			seen += this.counts[i];
			if (seen >= rank) {
				return Math.min(valueOf(i), this.max);
			}
		}
		return this.max;
	}

}
