package dev.dualsocket.link;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One run of a link procedure, and the only way to stop it: every wait of the procedure (a probe, a back-off, a
 * connect) races against {@link #cancelled()}, so that cancelling ends the wait at once and the procedure returns at
 * its next step. No thread is interrupted and none needs to be remembered (Lettuce's {@code ConnectionWatchdog}
 * cancels its attempts the same way, through their futures).
 */
final class ProcedureRun {

	private final String purpose;

	private final long session;

	/** Completes, with the reason, when the run is cancelled. */
	private final CompletableFuture<String> cancelled = new CompletableFuture<>();

	/**
	 * @param purpose what the run is for (a socket, or the establishment)
	 * @param session the link's session when the run was asked for; a procedure acts only within it
	 */
	ProcedureRun(String purpose, long session) {
		this.purpose = purpose;
		this.session = session;
	}

	String purpose() {
		return this.purpose;
	}

	long session() {
		return this.session;
	}

	/**
	 * Cancels the run: its waits end now, and its steps after them are not taken.
	 * @param why for the log
	 * @return {@code true} if it was not cancelled before
	 */
	boolean cancel(String why) {
		return this.cancelled.complete(why);
	}

	boolean isCancelled() {
		return this.cancelled.isDone();
	}

	/**
	 * Completes when the run is cancelled; what a connector's wait races against.
	 * @return a stage that only completes, normally, when cancelled
	 */
	CompletionStage<?> cancelled() {
		return this.cancelled.minimalCompletionStage();
	}

	/**
	 * Ends the procedure here if the run was cancelled.
	 * @throws CancellationException if it was
	 */
	void throwIfCancelled() {
		if (isCancelled()) {
			throw new CancellationException("procedure cancelled: " + this.cancelled.getNow(""));
		}
	}

	/**
	 * Waits for a step, or for the run to be cancelled, whichever comes first.
	 * @param step the step's future
	 * @return its result
	 * @throws ExecutionException if the step failed
	 * @throws CancellationException if the run was cancelled first (or the waiting thread interrupted, which only a
	 * shutting-down pool does)
	 */
	<T> T await(CompletableFuture<T> step) throws ExecutionException {
		try {
			CompletableFuture.anyOf(step, this.cancelled).get();
		}
		catch (ExecutionException ex) {
			// The step failed; reported below, unless the run was cancelled as well.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			cancel("the recovery pool is shutting down");
		}
		throwIfCancelled();
		try {
			return step.get();
		}
		catch (InterruptedException ex) {
			throw new IllegalStateException("unreachable: the step is done", ex);
		}
	}

	/**
	 * Waits, as a back-off between two attempts does; returns early if the run is cancelled meanwhile, leaving the
	 * next attempt to see it.
	 * @param millis how long
	 */
	void sleep(long millis) {
		try {
			this.cancelled.get(millis, TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			// Slept the whole back-off.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			cancel("the recovery pool is shutting down");
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("unreachable: cancellation never fails", ex);
		}
	}

	/**
	 * What went wrong, out of the wrapper a future puts around it.
	 * @param failure how a future of a step or procedure completed
	 * @return the cause a {@link CompletionException} wraps, or the failure itself
	 */
	static Throwable causeOf(Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

	@Override
	public String toString() {
		return "ProcedureRun[" + this.purpose + (isCancelled() ? ", cancelled" : "") + "]";
	}

}
