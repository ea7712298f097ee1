package dev.dualsocket.link;

import static dev.dualsocket.LinkState.CONNECTING;
import static dev.dualsocket.LinkState.DISCONNECTED;
import static dev.dualsocket.RecoveryProcedure.LINK_ESTABLISHMENT;
import static dev.dualsocket.SocketRole.INBOUND;
import static dev.dualsocket.SocketRole.OUTBOUND;
import static dev.dualsocket.link.StateChange.because;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.dualsocket.link.LinkStateMachine.Status;
import dev.dualsocket.transport.Connections;
import io.netty.util.Timeout;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * How a client establishes its whole link: both sockets in a new session, under the after-disconnect policy, at the
 * current address or, once that failed, the next standby one (seed 004); and, after the link went disconnected, when
 * to establish it again. Each attempt is a procedure of its own on the link's {@link ProcedureSequencer}, bounded by
 * {@code recovery.timeout}; the wait before the next attempt is a timer, not a sleeping thread. Whatever an attempt
 * throws, a link left {@code CONNECTING} has its next attempt scheduled. It keeps the series' {@link ConnectAttempts}
 * and tells the link's requests when they fail at once because the link is not connected
 * ({@link LinkSettings.WhileDisconnected}).
 */
final class ClientEstablishment implements Requester.Establishment {

	private static final Log logger = LogFactory.getLog(ClientEstablishment.class);

	static final String PURPOSE = "establishment";

	private final Link link;

	private final SocketConnector connector;

	private final LinkSettings settings;

	private final ReconnectPolicy policy;

	private final ProcedureSequencer sequencer;

	/** Numbers the series of attempts, so that only the newest series goes on. */
	private final AtomicLong series = new AtomicLong();

	/** An operator asked for a reconnect: the disconnect it causes is followed by an establishment at once. */
	private volatile boolean reestablishAtOnce;

	/** The attempts of the newest series; replaced as a whole. */
	private volatile ConnectAttempts attempts = ConnectAttempts.NONE;

	/** Whether the link was ever established: until then its requests may fail at once after a failed attempt. */
	private volatile boolean everEstablished;

	/** Whether the newest series established the link: its failed attempts are then no reason to refuse requests. */
	private volatile boolean seriesEstablished;

	/** Whether the newest series gave up: a disconnected link then stays so until a reconnect is requested. */
	private volatile boolean gaveUp;

	ClientEstablishment(Link link, SocketConnector connector, ReconnectPolicy policy, ProcedureSequencer sequencer) {
		this.link = link;
		this.connector = connector;
		this.settings = link.context().settings();
		this.policy = policy;
		this.sequencer = sequencer;
		this.retries = policy.openEstablishment();
		link.requester().establishedBy(this);
	}

	/** The newest series' retry policy, which decides whether another attempt is made and after how long. */
	private volatile ReconnectPolicy.EstablishmentSeries retries;

	/** Starts a new series of attempts after the given delay; any earlier series stops. */
	void begin(Duration delay) {
		this.retries = this.policy.openEstablishment();
		this.gaveUp = false;
		this.seriesEstablished = false;
		this.attempts = new ConnectAttempts(0, null, null, delay.isZero() ? null : this.link.context().now().plus(delay));
		schedule(this.series.incrementAndGet(), 1, delay);
	}

	/**
	 * The link went disconnected: re-establish it at once after a reconnect or a failure, at once at the next address
	 * if there are standby addresses, or after the after-disconnect interval when the peer closed the link in order
	 * (it is shutting down; give it time); not at all if that is off or the establishment itself gave up. The interval
	 * always separates failed attempts.
	 */
	void afterDisconnect(StateChange change) {
		boolean atOnce = this.reestablishAtOnce;
		this.reestablishAtOnce = false;
		if (change.procedure() == LINK_ESTABLISHMENT) {
			return; // the establishment itself gave up
		}
		LinkSettings.AfterDisconnect after = this.settings.reconnect().afterDisconnect();
		if (atOnce) {
			begin(Duration.ZERO);
		}
		else if (after.enabled() && this.connector.hasStandby()) {
			// Seed 004: the peer is lost or went away; go to the next address at once rather than wait.
			this.connector.moveToNextAddress();
			begin(Duration.ZERO);
		}
		else if (after.enabled()) {
			// After a failure the first attempt goes at once: a socket failure or a lost peer is no reason to wait,
			// and if the peer is really gone the attempt fails fast and the interval applies from then on. This is
			// what brings a thousand links back within a second or two after all their sockets were killed.
			begin(change.isPeerClosed() ? after.interval() : Duration.ZERO);
		}
	}

	/**
	 * Drops the link and establishes it again at once.
	 * @param cause why, for the log and events
	 */
	void reconnect(String cause) {
		this.reestablishAtOnce = true;
		this.link.disconnect(this.link.sessionId(), because(cause).then("re-establish the link at once"));
		if (this.link.getState() == DISCONNECTED && this.reestablishAtOnce) {
			// The link was already disconnected, so no disconnect happened to start the establishment.
			this.reestablishAtOnce = false;
			begin(Duration.ZERO);
		}
	}

	/**
	 * What follows a disconnect, for its log line.
	 * @param peerClosed whether the peer closed the link in order, after which the first attempt waits the interval
	 */
	String plan(boolean peerClosed) {
		LinkSettings.AfterDisconnect after = this.settings.reconnect().afterDisconnect();
		if (!after.enabled()) {
			return "stay disconnected (after-disconnect re-establishment is off)";
		}
		if (this.connector.hasStandby()) {
			return "re-establish the link at the next address now";
		}
		return peerClosed ? "re-establish the link in " + after.interval().toMillis() + " ms"
				: "re-establish the link now, then every " + after.interval().toMillis() + " ms until it is back";
	}

	private void schedule(long series, int attempt, Duration delay) {
		Runnable submit = () -> this.sequencer.submit(PURPOSE, this.link.sessionId(),
				(run) -> attempt(run, series, attempt, delay));
		if (delay.isZero()) {
			submit.run();
		}
		else {
			this.link.context()
				.transport()
				.timer()
				.newTimeout((timeout) -> submit.run(), delay.toNanos(), TimeUnit.NANOSECONDS);
		}
	}

	/**
	 * One attempt, on a recovery thread. It ends once, either way: by itself, or by overrunning its bound, after which
	 * it is cancelled and counts as failed whatever its thread still does.
	 */
	private CompletableFuture<?> attempt(ProcedureRun run, long series, int attempt, Duration delay) {
		AtomicBoolean concluded = new AtomicBoolean();
		Duration bound = this.settings.recovery().timeout();
		Timeout overrun = this.link.context().transport().timer().newTimeout((expired) -> {
			if (concluded.compareAndSet(false, true)) {
				run.cancel("the attempt overran");
				failed(series, attempt, delay, new TimeoutException("the attempt did not finish within recovery.timeout ("
						+ bound.toMillis() + " ms)"), false);
			}
		}, bound.toNanos(), TimeUnit.NANOSECONDS);
		return CompletableFuture.supplyAsync(() -> {
			try {
				return connectBoth(run, series);
			}
			catch (RuntimeException ex) {
				throw ex;
			}
			catch (Exception ex) {
				throw new CompletionException(ex);
			}
		}, this.link.context().transport().recoveryExecutor())
			.handle((attempted, failure) -> {
				overrun.cancel();
				if (!concluded.compareAndSet(false, true)) {
					return null;
				}
				if (failure == null) {
					if (attempted) {
						ConnectAttempts before = this.attempts;
						this.attempts = new ConnectAttempts(attempt, before.lastError(), before.lastErrorAt(), null);
						this.policy.reportAttempt(LINK_ESTABLISHMENT, null, attempt, delay, null);
					}
				}
				else if (!run.isCancelled()) {
					failed(series, attempt, delay, ProcedureRun.causeOf(failure), true);
				}
				// Cancelled: whoever called it off (a disconnect, a reconnect, the link closing) decides what is next.
				return null;
			});
	}

	/**
	 * Connects both sockets in a new session.
	 * @return {@code false} if no attempt was due: a newer series took over, or the link is neither disconnected nor
	 * connecting
	 */
	private boolean connectBoth(ProcedureRun run, long series) throws Exception {
		if (series != this.series.get()) {
			return false;
		}
		ConnectAttempts before = this.attempts;
		this.attempts = new ConnectAttempts(before.attempts(), before.lastError(), before.lastErrorAt(), null);
		long session = this.link.sessionId();
		if (!this.link.transition(session, DISCONNECTED, CONNECTING,
				because("re-establishing the link").in(LINK_ESTABLISHMENT).then("connect both sockets"))
				&& this.link.getState() != CONNECTING) {
			return false;
		}
		run.throwIfCancelled();
		this.link.closeSocket(session, OUTBOUND);
		this.link.closeSocket(session, INBOUND);
		this.link.beginSession(Session.newId());
		try {
			this.connector.connect(this.link, OUTBOUND, run.cancelled());
			run.throwIfCancelled();
			this.connector.connect(this.link, INBOUND, run.cancelled());
			if (this.link.completeEstablishment(because("both sockets connected").in(LINK_ESTABLISHMENT))) {
				this.everEstablished = true;
				this.seriesEstablished = true;
			}
			else if (this.link.getState() == CONNECTING) {
				throw new IOException("a socket closed before the link was established");
			}
			return true;
		}
		catch (Exception | Error ex) {
			if (!run.isCancelled()) {
				// Seed 004: with standby addresses, the next attempt goes to the next address.
				this.connector.moveToNextAddress();
			}
			throw ex;
		}
	}

	/**
	 * An attempt failed, however: record and report it, fail the requests waiting for a link that was never
	 * established (unless they are to wait), and make the next attempt (or give up after the last the policy allows)
	 * as long as the link is still connecting in this series.
	 * @param ended whether the attempt itself has ended, rather than overrun its bound: only then can nothing it
	 * still does send the waiting requests, which are failed as not sent
	 */
	private void failed(long series, int attempt, Duration delay, Throwable failure, boolean ended) {
		if (series != this.series.get()) {
			return; // a newer establishment took over
		}
		this.policy.reportAttempt(LINK_ESTABLISHMENT, null, attempt, delay, failure);
		if (ReconnectPolicy.isUnexpected(failure)) {
			logger.warn(this.link.context().logPrefix(this.link.getId()) + "attempt "
					+ attempt + " to establish the link failed unexpectedly; the attempts go on", failure);
		}
		boolean connecting = this.link.getState() == CONNECTING;
		Duration next = connecting ? this.retries.next(failure) : null;
		Instant now = this.link.context().now();
		// Recorded before the requests hear of it, so that one made meanwhile is refused for the same reason.
		this.attempts = new ConnectAttempts(attempt, Connections.describeError(failure), now,
				(next != null) ? now.plus(next) : null);
		if (!connecting) {
			return;
		}
		if (ended && failsRequests()) {
			// Nothing sends them now: no attempt runs until the next is scheduled below.
			this.link.requester().failAll("is not connected: not sent: " + this.attempts.describeLastFailure(now));
		}
		if (next != null) {
			schedule(series, attempt + 1, next);
		}
		else {
			this.gaveUp = true;
			this.link.disconnect(this.link.sessionId(), because("gave up establishing the link after " + attempt
					+ " attempts").in(LINK_ESTABLISHMENT).then("stay disconnected until a reconnect is requested"));
		}
	}

	/**
	 * Requests fail at once while the link is {@code DISCONNECTED} (unless they are to wait and the link is to be
	 * established again), and while it is {@code CONNECTING} for the first time once an attempt has failed (unless
	 * they are to wait). A link {@code CONNECTING} again after it was established holds them, as a recovering one does.
	 */
	@Override
	public @Nullable String refusal(Status status) {
		boolean wait = this.settings.requestWhileDisconnected() == LinkSettings.WhileDisconnected.WAIT;
		String lastFailure = this.seriesEstablished ? null
				: this.attempts.describeLastFailure(this.link.context().now());
		if (status.state() == DISCONNECTED) {
			boolean again = this.settings.reconnect().afterDisconnect().enabled() && !this.gaveUp;
			if (wait && again) {
				return null;
			}
			return "is not connected: not sent: it is DISCONNECTED (" + status.cause() + ")"
					+ ((lastFailure != null) ? "; " + lastFailure : "")
					+ (again ? "; set request-while-disconnected to 'wait' to hold requests until it is established again"
							: "; it stays disconnected until a reconnect is requested");
		}
		if (status.state() == CONNECTING && !wait && !this.everEstablished && lastFailure != null) {
			return "is not connected: not sent: " + lastFailure;
		}
		return null;
	}

	@Override
	public boolean hasGivenUp() {
		return this.gaveUp;
	}

	private boolean failsRequests() {
		return this.settings.requestWhileDisconnected() == LinkSettings.WhileDisconnected.FAIL && !this.everEstablished;
	}

	@Override
	public ConnectAttempts attempts() {
		return this.attempts;
	}

}
