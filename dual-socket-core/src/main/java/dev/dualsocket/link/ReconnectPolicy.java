package dev.dualsocket.link;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;

import dev.dualsocket.DualSocketException;
import dev.dualsocket.LinkDisconnectedException;
import dev.dualsocket.RecoveryProcedure;
import dev.dualsocket.SocketRole;
import dev.dualsocket.event.ReconnectAttemptEvent;
import dev.dualsocket.transport.Connections;
import dev.dualsocket.transport.HandshakeRejectedException;
import dev.dualsocket.transport.HelloReject;
import io.netty.channel.ChannelException;
import io.netty.handler.codec.DecoderException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.retry.RetryCallback;
import org.springframework.retry.RetryContext;
import org.springframework.retry.RetryListener;
import org.springframework.retry.RetryPolicy;
import org.springframework.retry.backoff.ExponentialBackOffPolicy;
import org.springframework.retry.backoff.ExponentialRandomBackOffPolicy;
import org.springframework.retry.backoff.FixedBackOffPolicy;
import org.springframework.retry.backoff.Sleeper;
import org.springframework.retry.policy.AlwaysRetryPolicy;
import org.springframework.retry.policy.SimpleRetryPolicy;
import org.springframework.retry.support.RetrySynchronizationManager;
import org.springframework.retry.support.RetryTemplate;

/**
 * The client's two re-connect policies and the one place that reports every attempt: bounded attempts with
 * exponential back-off (and jitter) for one socket inside a recovery procedure, as a Spring Retry template; and the
 * longer fixed-interval policy for re-establishing a whole link after it went disconnected (possibly without limit),
 * whose attempts the client schedules one at a time. Each attempt is logged and published as a
 * {@link ReconnectAttemptEvent} carrying its number, the wait before it and its error.
 */
final class ReconnectPolicy {

	private static final Log logger = LogFactory.getLog(ReconnectPolicy.class);

	private static final String PROCEDURE = "dualsocket.procedure";

	private static final String SOCKET = "dualsocket.socket";

	private static final String DELAY = "dualsocket.delay";

	private static final String RUN = "dualsocket.run";

	/**
	 * Remembers the back-off so the next attempt's event can carry it, and sleeps it on the procedure's run, so that
	 * cancelling the run ends the sleep (the next attempt then sees the cancellation) without interrupting a thread.
	 */
	private static final Sleeper RECORDING_SLEEPER = (millis) -> {
		RetryContext context = RetrySynchronizationManager.getContext();
		Object run = (context != null) ? context.getAttribute(RUN) : null;
		if (context != null) {
			context.setAttribute(DELAY, millis);
		}
		if (run instanceof ProcedureRun procedureRun) {
			procedureRun.sleep(millis);
		}
		else {
			Thread.sleep(millis);
		}
	};

	private final Link link;

	private final LinkSettings.Reconnect settings;

	private final RetryTemplate socketTemplate;

	ReconnectPolicy(Link link, LinkSettings.Reconnect settings) {
		this.link = link;
		this.settings = settings;
		ExponentialBackOffPolicy backOff = settings.jitter() ? new ExponentialRandomBackOffPolicy()
				: new ExponentialBackOffPolicy();
		backOff.setInitialInterval(settings.initialBackoff().toMillis());
		backOff.setMultiplier(settings.multiplier());
		backOff.setMaxInterval(settings.maxBackoff().toMillis());
		backOff.setSleeper(RECORDING_SLEEPER);
		this.socketTemplate = RetryTemplate.builder()
			.customBackoff(backOff)
			.retryOn(ReconnectPolicy::worthReconnectingSocket)
			.withListener(new AttemptReporter())
			.maxAttempts(settings.maxAttempts())
			.build();
	}

	/**
	 * Re-connects one socket with bounded attempts (blocks 532-540 of Fig. 5, 635-640 of Fig. 6). Spring Retry
	 * decides the attempts and the back-off between them; the run only makes them stop early.
	 * @param run the procedure's run: no attempt starts, and no back-off goes on, once it is cancelled
	 * @return how it ended
	 * @throws CancellationException if the run was cancelled (the link was given up or is closing)
	 * @throws RuntimeException an unexpected error of an attempt (a bug rather than a network fault), not retried
	 */
	SocketReconnect reconnectSocket(ProcedureRun run, RecoveryProcedure procedure, SocketRole socket, Attempt attempt) {
		try {
			return this.socketTemplate.execute((context) -> {
				context.setAttribute(PROCEDURE, procedure);
				context.setAttribute(SOCKET, socket);
				context.setAttribute(RUN, run);
				run.throwIfCancelled();
				attempt.run();
				return SocketReconnect.CONNECTED;
			}, (context) -> {
				Throwable last = context.getLastThrowable();
				run.throwIfCancelled();
				if (last instanceof Error error) {
					throw error;
				}
				if (isUnexpected(last)) {
					throw (Exception) last;
				}
				return isSessionEnded(last) ? SocketReconnect.SESSION_ENDED : SocketReconnect.EXHAUSTED;
			});
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Exception ex) {
			return SocketReconnect.EXHAUSTED;
		}
	}

	/**
	 * How re-connecting one socket ended.
	 */
	enum SocketReconnect {

		/** An attempt joined the socket to the link's session again. */
		CONNECTED,

		/** Every attempt failed. */
		EXHAUSTED,

		/**
		 * The server no longer holds the session: the requests in flight must not be sent again, into a session that
		 * has no record of them.
		 */
		SESSION_ENDED

	}

	int socketAttempts() {
		return this.settings.maxAttempts();
	}

	/**
	 * Opens a series of whole-link establishment attempts under the longer, after-disconnect policy: a Spring Retry
	 * retry policy (the attempt limit, which may be none) and a fixed back-off (the interval). Its attempts are not made
	 * in a loop that sleeps: each is a task of its own, and the series only says whether another is allowed and after
	 * how long, which a timer then waits, so a peer that stays away holds no thread.
	 * @return the series
	 */
	EstablishmentSeries openEstablishment() {
		LinkSettings.AfterDisconnect after = this.settings.afterDisconnect();
		RetryPolicy retry = (after.maxAttempts() == LinkSettings.AfterDisconnect.UNLIMITED) ? new AlwaysRetryPolicy()
				: new SimpleRetryPolicy(after.maxAttempts());
		FixedBackOffPolicy backOff = new FixedBackOffPolicy();
		backOff.setBackOffPeriod(after.interval().toMillis());
		return new EstablishmentSeries(retry, backOff);
	}

	/**
	 * One series of establishment attempts, from a disconnect (or the start) until the link is established or the
	 * series is given up.
	 */
	static final class EstablishmentSeries {

		private final RetryPolicy retry;

		private final RetryContext context;

		private final FixedBackOffPolicy backOff;

		/** What the back-off last asked to wait: it "sleeps" into this field, and a timer does the waiting. */
		private long waitMillis;

		private EstablishmentSeries(RetryPolicy retry, FixedBackOffPolicy backOff) {
			this.retry = retry;
			this.context = retry.open(null);
			this.backOff = backOff.withSleeper((millis) -> this.waitMillis = millis);
		}

		/**
		 * An attempt failed: whether the policy allows another, and after how long.
		 * @param failure why it failed
		 * @return the wait before the next attempt, or {@code null} to give up
		 */
		synchronized @Nullable Duration next(Throwable failure) {
			this.retry.registerThrowable(this.context, failure);
			if (!this.retry.canRetry(this.context)) {
				return null;
			}
			this.backOff.backOff(this.backOff.start(this.context));
			return Duration.ofMillis(this.waitMillis);
		}

	}

	/**
	 * Re-connecting one socket is pointless once the recovery pool is shutting down, the link is given up, or the server
	 * has ended the session the socket belonged to.
	 */
	private static boolean worthReconnectingSocket(Throwable failure) {
		return worthReestablishing(failure) && !isSessionEnded(failure) && !isUnexpected(failure);
	}

	/**
	 * What a connect may fail with is a checked exception (I/O, timeout, a rejected handshake), or one of the few
	 * unchecked ones the transport uses for network and protocol faults; anything else is a bug or a broken
	 * connector, which another attempt would only repeat. A cancellation is unexpected too, unless the run was
	 * cancelled (checked before this).
	 */
	static boolean isUnexpected(@Nullable Throwable failure) {
		if (failure instanceof Error) {
			return true;
		}
		return failure instanceof RuntimeException && !(failure instanceof UncheckedIOException
				|| failure instanceof DualSocketException || failure instanceof DecoderException
				|| failure instanceof ChannelException);
	}

	private static boolean isSessionEnded(@Nullable Throwable failure) {
		// A stale epoch ends the session for this instance too: another one holds the link now (section 4.6).
		return failure instanceof HandshakeRejectedException rejected
				&& (rejected.getReason() == HelloReject.Reason.SESSION_ENDED
						|| rejected.getReason() == HelloReject.Reason.STALE_EPOCH);
	}

	/**
	 * A whole-link attempt starts a new session, so a session the server ended is no reason to stop; interruption
	 * and a link given up or closed meanwhile are.
	 * @param failure why the attempt failed
	 * @return whether another attempt makes sense
	 */
	static boolean worthReestablishing(Throwable failure) {
		return !(failure instanceof InterruptedException) && !(failure instanceof LinkDisconnectedException);
	}

	/**
	 * Reports one attempt: a log line when it failed, and a {@link ReconnectAttemptEvent} either way.
	 * @param procedure the procedure that made it
	 * @param socket the socket being re-connected, or {@code null} for the whole link
	 * @param attempt its number, from 1
	 * @param delay the wait before it
	 * @param error why it failed, or {@code null}
	 */
	void reportAttempt(RecoveryProcedure procedure, @Nullable SocketRole socket, int attempt, Duration delay,
			@Nullable Throwable error) {
		String message = (error != null) ? Connections.describeError(error) : null;
		LinkContext linkContext = this.link.context();
		if (error != null) {
			String what = (socket != null) ? "re-connect the " + socket.label() + " socket" : "establish the link";
			this.link.logInfo(logger, () -> linkContext.logPrefix(this.link.getId()) + "attempt " + attempt + " to "
					+ what + " failed (" + message + ")");
		}
		this.link.publish(new ReconnectAttemptEvent(linkContext.endpointName(), this.link.getId(), procedure, socket,
				attempt, delay, message, linkContext.now()));
	}

	/**
	 * One attempt: connect, or throw why not.
	 */
	@FunctionalInterface
	interface Attempt {

		void run() throws Exception;

	}

	private final class AttemptReporter implements RetryListener {

		@Override
		public <T, E extends Throwable> void onSuccess(RetryContext context, RetryCallback<T, E> callback, T result) {
			report(context, context.getRetryCount() + 1, null);
		}

		@Override
		public <T, E extends Throwable> void onError(RetryContext context, RetryCallback<T, E> callback,
				Throwable throwable) {
			report(context, context.getRetryCount(), throwable);
		}

		private void report(RetryContext context, int attempt, @Nullable Throwable error) {
			if (error instanceof CancellationException && context.getAttribute(RUN) instanceof ProcedureRun run
					&& run.isCancelled()) {
				return; // not a failed attempt: the procedure was called off
			}
			Object delay = context.getAttribute(DELAY);
			reportAttempt((RecoveryProcedure) context.getAttribute(PROCEDURE), (SocketRole) context.getAttribute(SOCKET),
					attempt, (delay instanceof Long millis) ? Duration.ofMillis(millis) : Duration.ZERO, error);
		}

	}

}
