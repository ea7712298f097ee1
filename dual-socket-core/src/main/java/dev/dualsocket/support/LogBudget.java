package dev.dualsocket.support;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * How many log lines one source may write per interval: up to a burst of them, then none until the interval is over;
 * the first line after that says how many were left out. For sources a peer can make talk at will (a link a stranger
 * opens and breaks a thousand times a second), so that they cannot flood the log, while the lines of a link that
 * changes state now and then all get through.
 */
public final class LogBudget {

	private final long intervalNanos;

	private final int burst;

	private long windowStart = System.nanoTime();

	private int written;

	private long suppressed;

	/**
	 * @param interval the length of one window
	 * @param unit unit of {@code interval}
	 * @param burst lines allowed per window, at least 1
	 */
	public LogBudget(long interval, TimeUnit unit, int burst) {
		if (burst < 1) {
			throw new IllegalArgumentException("burst must be at least 1, was " + burst);
		}
		this.intervalNanos = unit.toNanos(interval);
		this.burst = burst;
	}

	/**
	 * Takes one line from the budget.
	 * @param message the line, made only when it is written
	 * @return the line to write, with a count of the lines left out before it, or {@code null} if the budget of
	 * this window is spent
	 */
	public @Nullable String admit(Supplier<String> message) {
		long left;
		synchronized (this) {
			long now = System.nanoTime();
			if (now - this.windowStart >= this.intervalNanos) {
				this.windowStart = now;
				this.written = 0;
			}
			if (this.written >= this.burst) {
				this.suppressed++;
				return null;
			}
			this.written++;
			left = this.suppressed;
			this.suppressed = 0;
		}
		String line = message.get();
		return (left > 0) ? line + " (" + left + " more like it left out of the log)" : line;
	}

}
