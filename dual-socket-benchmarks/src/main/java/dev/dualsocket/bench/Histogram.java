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
	 * The histogram as one token for another JVM: its largest value, a colon, and HdrHistogram's compressed form in
	 * Base64 (no spaces, no commas).
	 * @return the token
	 */
	public String encode() {
		java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(this.recorded.getNeededByteBufferCapacity());
		int length = this.recorded.encodeIntoCompressedByteBuffer(buffer);
		return this.max + ":" + java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
	}

	/**
	 * @param token what {@link #encode()} wrote
	 * @return the histogram again
	 */
	public static Histogram decode(String token) {
		int colon = token.indexOf(':');
		byte[] bytes = java.util.Base64.getDecoder().decode(token.substring(colon + 1));
		Histogram histogram = new Histogram();
		try {
			histogram.recorded.add(org.HdrHistogram.Histogram
				.decodeFromCompressedByteBuffer(java.nio.ByteBuffer.wrap(bytes), 0));
		}
		catch (java.util.zip.DataFormatException ex) {
			throw new IllegalArgumentException("not an encoded histogram: " + token, ex);
		}
		histogram.max = Long.parseLong(token.substring(0, colon));
		return histogram;
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
