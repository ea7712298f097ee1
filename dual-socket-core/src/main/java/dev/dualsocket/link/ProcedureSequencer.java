package dev.dualsocket.link;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.util.Timer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Runs one link's procedures one at a time. A failure that arrives while a procedure runs waits for it to finish
 * (blocks 615-620 of Fig. 6 and 815-820 of Fig. 8: "allow the running recovery process to attempt the recovery"),
 * bounded by {@code recovery.timeout}: if the running procedure is still not done by then, it has overrun and the
 * link is given up. A waiting procedure for the same purpose is queued only once.
 */
final class ProcedureSequencer {

	private static final Log logger = LogFactory.getLog(ProcedureSequencer.class);

	private final Timer timer;

	private final Duration timeout;

	private final Runnable onOverrun;

	private final Map<String, Procedure> waiting = new LinkedHashMap<>();

	private boolean busy;

	private long runs;

	private boolean stopped;

	/**
	 * @param timer schedules the bound on waiting
	 * @param timeout how long a waiting procedure waits for the running one
	 * @param onOverrun called when the running procedure has kept one waiting too long
	 */
	ProcedureSequencer(Timer timer, Duration timeout, Runnable onOverrun) {
		this.timer = timer;
		this.timeout = timeout;
		this.onOverrun = onOverrun;
	}

	/**
	 * Runs a procedure now, or after the running one.
	 * @param purpose what the procedure is for; at most one procedure per purpose waits
	 * @param procedure starts the procedure
	 * @param boundedWait whether its wait is bounded by the recovery timeout
	 * @return {@code true} if it started at once, {@code false} if it waits (or the sequencer is stopped)
	 */
	boolean submit(String purpose, Procedure procedure, boolean boundedWait) {
		long waitingFor;
		synchronized (this) {
			if (this.stopped) {
				return false;
			}
			if (this.busy) {
				this.waiting.putIfAbsent(purpose, procedure);
				waitingFor = this.runs;
			}
			else {
				this.busy = true;
				this.runs++;
				waitingFor = -1;
			}
		}
		if (waitingFor < 0) {
			launch(procedure);
			return true;
		}
		if (boundedWait) {
			this.timer.newTimeout((expiry) -> checkOverrun(waitingFor), this.timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		return false;
	}

	private void checkOverrun(long waitedFor) {
		boolean overrun;
		synchronized (this) {
			overrun = !this.stopped && this.busy && this.runs == waitedFor;
		}
		if (overrun) {
			this.onOverrun.run();
		}
	}

	private void launch(Procedure procedure) {
		CompletableFuture<?> running;
		try {
			running = procedure.start();
		}
		catch (RuntimeException ex) {
			running = CompletableFuture.failedFuture(ex);
		}
		running.whenComplete((result, failure) -> {
			if (failure != null) {
				logger.warn("A link procedure ended with an unexpected error", failure);
			}
			next();
		});
	}

	private void next() {
		Procedure next;
		synchronized (this) {
			Iterator<Procedure> queue = this.waiting.values().iterator();
			if (this.stopped || !queue.hasNext()) {
				this.busy = false;
				return;
			}
			next = queue.next();
			queue.remove();
			this.runs++;
		}
		launch(next);
	}

	/** Starts nothing more; the running procedure is left to its owner to stop. */
	synchronized void stop() {
		this.stopped = true;
		this.waiting.clear();
	}

	/**
	 * Starts one procedure and tells when it is done.
	 */
	@FunctionalInterface
	interface Procedure {

		CompletableFuture<?> start();

	}

}
