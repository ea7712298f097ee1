package dev.dualsocket.link;

import java.time.Duration;

import dev.dualsocket.LinkDisconnectedException;
import dev.dualsocket.RecoveryProcedure;
import dev.dualsocket.SocketRole;
import dev.dualsocket.event.ReconnectAttemptEvent;
import dev.dualsocket.transport.Connections;
import dev.dualsocket.transport.HandshakeRejectedException;
import dev.dualsocket.transport.HelloReject;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.retry.RetryCallback;
import org.springframework.retry.RetryContext;
import org.springframework.retry.RetryListener;
import org.springframework.retry.backoff.BackOffInterruptedException;
import org.springframework.retry.backoff.ExponentialBackOffPolicy;
import org.springframework.retry.backoff.ExponentialRandomBackOffPolicy;
import org.springframework.retry.backoff.FixedBackOffPolicy;
import org.springframework.retry.backoff.Sleeper;
import org.springframework.retry.support.RetrySynchronizationManager;
import org.springframework.retry.support.RetryTemplate;
import org.springframework.retry.support.RetryTemplateBuilder;

/**
 * The client's two re-connect policies, as Spring Retry templates, and the one place that reports every attempt:
 * bounded attempts with exponential back-off (and jitter) for one socket inside a recovery procedure, and the longer
 * fixed-interval policy for re-establishing a whole link after it went disconnected (possibly without limit). Each
 * attempt is logged and published as a {@link ReconnectAttemptEvent} carrying its number, the back-off before it and
 * its error.
 */
final class ReconnectPolicy {

	private static final Log logger = LogFactory.getLog(ReconnectPolicy.class);

	private static final String PROCEDURE = "dualsocket.procedure";

	private static final String SOCKET = "dualsocket.socket";

	private static final String DELAY = "dualsocket.delay";

	/** Sleeps like Spring Retry's default, and remembers the back-off so the next attempt's event can carry it. */
	private static final Sleeper RECORDING_SLEEPER = (millis) -> {
		RetryContext context = RetrySynchronizationManager.getContext();
		if (context != null) {
			context.setAttribute(DELAY, millis);
		}
		Thread.sleep(millis);
	};

	private final Link link;

	private final LinkSettings.Reconnect settings;

	private final RetryTemplate socketTemplate;

	private final RetryTemplate linkTemplate;

	ReconnectPolicy(Link link, LinkSettings.Reconnect settings) {
		this.link = link;
		this.settings = settings;
		ExponentialBackOffPolicy backOff = settings.jitter() ? new ExponentialRandomBackOffPolicy()
				: new ExponentialBackOffPolicy();
		backOff.setInitialInterval(settings.initialBackoff().toMillis());
		backOff.setMultiplier(settings.multiplier());
		backOff.setMaxInterval(settings.maxBackoff().toMillis());
		backOff.setSleeper(RECORDING_SLEEPER);
		this.socketTemplate = templateWith(backOff, ReconnectPolicy::worthReconnectingSocket)
			.maxAttempts(settings.maxAttempts())
			.build();
		FixedBackOffPolicy interval = new FixedBackOffPolicy();
		interval.setBackOffPeriod(settings.afterDisconnect().interval().toMillis());
		interval.setSleeper(RECORDING_SLEEPER);
		int linkAttempts = settings.afterDisconnect().maxAttempts();
		RetryTemplateBuilder linkBuilder = templateWith(interval, ReconnectPolicy::worthReestablishing);
		this.linkTemplate = (linkAttempts == LinkSettings.AfterDisconnect.UNLIMITED) ? linkBuilder.infiniteRetry().build()
				: linkBuilder.maxAttempts(linkAttempts).build();
	}

	private RetryTemplateBuilder templateWith(org.springframework.retry.backoff.BackOffPolicy backOff,
			java.util.function.Predicate<Throwable> worthRetrying) {
		return RetryTemplate.builder()
			.customBackoff(backOff)
			.retryOn(worthRetrying)
			.withListener(new AttemptReporter());
	}

	/**
	 * Re-connects one socket with bounded attempts (blocks 532-540 of Fig. 5, 635-640 of Fig. 6).
	 * @return whether an attempt succeeded
	 * @throws InterruptedException if the procedure was interrupted (the link is closing, or the procedure overran)
	 */
	boolean reconnectSocket(RecoveryProcedure procedure, SocketRole socket, Attempt attempt) throws InterruptedException {
		return run(this.socketTemplate, procedure, socket, attempt);
	}

	/**
	 * Establishes the whole link, attempt after attempt at the after-disconnect interval, up to its limit.
	 * @return whether an attempt succeeded
	 * @throws InterruptedException if interrupted (the link is closing)
	 */
	boolean establishLink(Attempt attempt) throws InterruptedException {
		return run(this.linkTemplate, RecoveryProcedure.LINK_ESTABLISHMENT, null, attempt);
	}

	int socketAttempts() {
		return this.settings.maxAttempts();
	}

	private boolean run(RetryTemplate template, RecoveryProcedure procedure, @Nullable SocketRole socket,
			Attempt attempt) throws InterruptedException {
		boolean succeeded;
		try {
			succeeded = template.execute((context) -> {
				context.setAttribute(PROCEDURE, procedure);
				context.setAttribute(SOCKET, socket);
				try {
					attempt.run();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw ex;
				}
				return true;
			}, (context) -> false);
		}
		catch (BackOffInterruptedException ex) {
			Thread.currentThread().interrupt();
			succeeded = false;
		}
		catch (Exception ex) {
			succeeded = false;
		}
		if (Thread.interrupted()) {
			throw new InterruptedException("re-connect interrupted");
		}
		return succeeded;
	}

	/**
	 * Re-connecting one socket is pointless once the procedure is interrupted, the link is given up, or the server
	 * has ended the session the socket belonged to.
	 */
	private static boolean worthReconnectingSocket(Throwable failure) {
		return worthReestablishing(failure) && !(failure instanceof HandshakeRejectedException rejected
				&& rejected.getReason() == HelloReject.Reason.SESSION_ENDED);
	}

	/**
	 * A whole-link attempt starts a new session, so a session the server ended is no reason to stop; interruption
	 * and a link given up or closed meanwhile are.
	 */
	private static boolean worthReestablishing(Throwable failure) {
		return !(failure instanceof InterruptedException) && !(failure instanceof LinkDisconnectedException);
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
			RecoveryProcedure procedure = (RecoveryProcedure) context.getAttribute(PROCEDURE);
			SocketRole socket = (SocketRole) context.getAttribute(SOCKET);
			Object delay = context.getAttribute(DELAY);
			Duration backOff = (delay instanceof Long millis) ? Duration.ofMillis(millis) : Duration.ZERO;
			String message = (error != null) ? Connections.describeError(error) : null;
			LinkContext linkContext = ReconnectPolicy.this.link.context();
			if (error != null && logger.isInfoEnabled()) {
				String what = (socket != null) ? "re-connect the " + socket.label() + " socket" : "establish the link";
				logger.info("Endpoint '" + linkContext.endpointName() + "', link '" + ReconnectPolicy.this.link.getId()
						+ "': attempt " + attempt + " to " + what + " failed (" + message + ")");
			}
			linkContext.publish(new ReconnectAttemptEvent(linkContext.endpointName(),
					ReconnectPolicy.this.link.getId(), (procedure != null) ? procedure : RecoveryProcedure.LINK_ESTABLISHMENT,
					socket, attempt, backOff, message, linkContext.now()));
		}

	}

}
