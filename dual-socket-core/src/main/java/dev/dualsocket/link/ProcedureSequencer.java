package dev.dualsocket.link;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Runs one link's procedures one at a time. A failure that arrives while a procedure runs waits for it to finish
 * (blocks 615-620 of Fig. 6 and 815-820 of Fig. 8: "allow the running recovery process to attempt the recovery");
 * the wait is bounded because the running procedure is: the link's {@code RECOVERING} state lasts at most
 * {@code recovery.timeout}, after which the link is given up and the procedure cancelled. A waiting procedure for the
 * same purpose is queued only once.
 *
 * <p>Each run gets a {@link ProcedureRun}; the sequencer goes on to the next procedure as soon as the running one
 * ends or is cancelled, without waiting for a cancelled one's thread to come back. A run that ends with an
 * unexpected error (anything a step throws that no procedure expects) is reported to the owner, which gives the link
 * up with that cause rather than leave it where the procedure stopped.
 */
final class ProcedureSequencer {

	private static final Log logger = LogFactory.getLog(ProcedureSequencer.class);

	private final UnexpectedFailure onUnexpected;

	private final Map<String, Pending> waiting = new LinkedHashMap<>();

	private @Nullable ProcedureRun running;

	private boolean stopped;

	/**
	 * @param onUnexpected told when a run, not cancelled, ended with an unexpected error
	 */
	ProcedureSequencer(UnexpectedFailure onUnexpected) {
		this.onUnexpected = onUnexpected;
	}

	/**
	 * Runs a procedure now, or after the running one.
	 * @param purpose what the procedure is for; at most one procedure per purpose waits
	 * @param session the link's session, in which the procedure acts
	 * @param procedure starts the procedure
	 * @return {@code true} if it started at once, {@code false} if it waits (or the sequencer is stopped)
	 */
	boolean submit(String purpose, long session, Procedure procedure) {
		Pending pending = new Pending(new ProcedureRun(purpose, session), procedure);
		synchronized (this) {
			if (this.stopped) {
				return false;
			}
			if (this.running != null) {
				this.waiting.putIfAbsent(purpose, pending);
				return false;
			}
			this.running = pending.run;
		}
		launch(pending);
		return true;
	}

	private void launch(Pending pending) {
		ProcedureRun run = pending.run;
		CompletableFuture<?> ended;
		try {
			ended = pending.procedure.start(run);
		}
		catch (RuntimeException | Error ex) {
			ended = CompletableFuture.failedFuture(ex);
		}
		ended.whenComplete((result, failure) -> {
			if (failure == null) {
				return;
			}
			Throwable cause = ProcedureRun.causeOf(failure);
			if (run.isCancelled()) {
				// How a cancelled run ends: its next step saw the cancellation.
				logger.debug(run + " ended after it was cancelled: " + cause);
			}
			else {
				this.onUnexpected.failed(run, cause);
			}
		});
		CompletableFuture.anyOf(ended, run.cancelled().toCompletableFuture()).whenComplete((result, failure) -> next(run));
	}

	private void next(ProcedureRun ended) {
		Pending next;
		synchronized (this) {
			if (this.running != ended) {
				return;
			}
			Iterator<Pending> queue = this.waiting.values().iterator();
			if (this.stopped || !queue.hasNext()) {
				this.running = null;
				return;
			}
			next = queue.next();
			queue.remove();
			this.running = next.run;
		}
		launch(next);
	}

	/**
	 * The run of the procedure running now.
	 * @return the run, or {@code null} when none runs
	 */
	synchronized @Nullable ProcedureRun running() {
		return this.running;
	}

	/**
	 * Cancels the running procedure, if any; the next one waiting starts.
	 * @param why for the log
	 */
	void cancelRunning(String why) {
		ProcedureRun current;
		synchronized (this) {
			current = this.running;
		}
		if (current != null && current.cancel(why)) {
			logger.debug(current + " cancelled: " + why);
		}
	}

	/** Starts nothing more, and cancels the running procedure. */
	void stop() {
		synchronized (this) {
			this.stopped = true;
			this.waiting.clear();
		}
		cancelRunning("the link is closing");
	}

	/**
	 * Starts one procedure and tells when it is done.
	 */
	@FunctionalInterface
	interface Procedure {

		/**
		 * @param run the run, whose cancellation every wait of the procedure races against
		 * @return completes when the procedure is done
		 */
		CompletableFuture<?> start(ProcedureRun run);

	}

	/**
	 * Told when a run ended with an error nothing expected.
	 */
	@FunctionalInterface
	interface UnexpectedFailure {

		void failed(ProcedureRun run, Throwable failure);

	}

	private record Pending(ProcedureRun run, Procedure procedure) {
	}

}
