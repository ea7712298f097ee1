package dev.dualsocket.support;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

/**
 * A log line that is written at most once per interval, however often its cause repeats; the next line says how
 * many were left out. For causes a peer or a user's code can repeat at will (a listener that throws on every event),
 * so that they cannot flood the log.
 */
public final class RateLimitedLog {

	private final Log log;

	private final LogBudget budget;

	/**
	 * @param log where the lines go
	 * @param interval least time between two lines
	 * @param unit unit of {@code interval}
	 */
	public RateLimitedLog(Log log, long interval, TimeUnit unit) {
		this.log = log;
		this.budget = new LogBudget(interval, unit, 1);
	}

	/**
	 * Writes a WARN line unless one was written less than the interval ago.
	 * @param message the line, made only when it is written
	 * @param cause the exception to attach, or {@code null}
	 */
	public void warn(Supplier<String> message, @Nullable Throwable cause) {
		String line = lineToWrite(message);
		if (line == null) {
			return;
		}
		if (cause != null) {
			this.log.warn(line, cause);
		}
		else {
			this.log.warn(line);
		}
	}

	/**
	 * Writes an INFO line unless a line was written less than the interval ago: for what a peer may repeat at will
	 * but which is not a fault of this side (a refused handshake).
	 * @param message the line, made only when it is written
	 * @param cause the exception to attach, or {@code null}
	 */
	public void info(Supplier<String> message, @Nullable Throwable cause) {
		String line = lineToWrite(message);
		if (line == null || !this.log.isInfoEnabled()) {
			return;
		}
		if (cause != null) {
			this.log.info(line, cause);
		}
		else {
			this.log.info(line);
		}
	}

	private @Nullable String lineToWrite(Supplier<String> message) {
		return this.budget.admit(message);
	}


}
