package dev.dualsocket.bench;

/**
 * What one measured round of one set-up gave.
 *
 * @param requests requests answered in the round
 * @param seconds how long the round took, from its first request to its last answer
 * @param p50 median latency, nanoseconds
 * @param p99 99th percentile latency, nanoseconds
 * @param errors requests that failed
 * @param cost what the round cost the JVM, or {@code null} if not measured
 */
public record RoundResult(long requests, double seconds, long p50, long p99, long errors, Cost cost) {

	public static RoundResult of(Histogram histogram, long startNanos, long endNanos, long errors, Cost cost) {
		return new RoundResult(histogram.count(), (endNanos - startNanos) / 1e9, histogram.percentile(0.50),
				histogram.percentile(0.99), errors, cost);
	}

	/** CPU time per request, in microseconds, or NaN. */
	public double cpuMicrosPerRequest() {
		return (this.cost == null || this.requests == 0) ? Double.NaN : this.cost.cpuNanos() / 1e3 / this.requests;
	}

	/** Context switches per request, or NaN. */
	public double switchesPerRequest() {
		return (this.cost == null || this.requests == 0) ? Double.NaN : this.cost.switches() / (double) this.requests;
	}

	public double perSecond() {
		return (this.seconds > 0) ? this.requests / this.seconds : 0;
	}

}
