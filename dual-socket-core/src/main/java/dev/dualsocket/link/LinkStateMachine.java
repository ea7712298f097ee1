package dev.dualsocket.link;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.dualsocket.FailureVerdict;
import dev.dualsocket.LinkState;
import dev.dualsocket.event.DualSocketEvent;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.support.LogBudget;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The state of one link, in one field: the {@link LinkState}, since when and why, the session, and whether the peer
 * said it is shutting down. It changes only through {@link LinkState#canMoveTo(LinkState)}, under this object's
 * monitor, which is the link's lock; the change happens first and its {@link LinkStateChangedEvent} is only enqueued,
 * so a listener never sees, nor leaves, a half-made change.
 *
 * <p>{@code RECOVERING} is bounded: a link still in the same {@code RECOVERING} status after {@code recovery.timeout}
 * is reported as overdue, whatever its procedure is doing, and the link gives it up.
 */
final class LinkStateMachine {

	private static final Log logger = LogFactory.getLog(Link.class);

	private final LinkContext context;

	private final String linkId;

	private final String logPrefix;

	private final Consumer<DualSocketEvent> publisher;

	private final Consumer<Status> overdue;

	/** The one state field. Written under this object's monitor; a change makes a new object. */
	private volatile Status status;

	/**
	 * The budget of the link's INFO lines (state changes, socket failures): 30 per 10 s, so that a link a stranger
	 * opens and breaks at will cannot flood the log, while a real link's changes all get through.
	 */
	private final LogBudget lines = new LogBudget(10, TimeUnit.SECONDS, 30);

	/** How many moves the state made; written under this object's monitor, read by the recovery-timeout timer. */
	private volatile long moves;

	/**
	 * The verdict of the diagnosis of the failure the link is recovering from, which every change carries once it is
	 * known, up to the next move to {@code NORMAL}; guarded by this object's monitor.
	 */
	private @Nullable FailureVerdict diagnosis;

	/** Whether a diagnosis started since the link was last {@code NORMAL}; guarded by this object's monitor. */
	private boolean diagnosing;

	/**
	 * @param context the endpoint's shared context
	 * @param linkId the link's id
	 * @param session the first session
	 * @param publisher enqueues an event of the link
	 * @param overdue told (on the timer thread) when the link stayed {@code RECOVERING} past {@code recovery.timeout}
	 */
	LinkStateMachine(LinkContext context, String linkId, Session session, Consumer<DualSocketEvent> publisher,
			Consumer<Status> overdue) {
		this.context = context;
		this.linkId = linkId;
		this.logPrefix = context.logPrefix(linkId);
		this.publisher = publisher;
		this.overdue = overdue;
		// A link made while its endpoint is quiesced starts quiesced.
		this.status = new Status(LinkState.CONNECTING, context.now(), "created", session, false, context.isQuiesced(),
				false);
	}

	/**
	 * The budget of the link's INFO lines, shared by everything that logs about the link.
	 * @return the budget
	 */
	LogBudget lines() {
		return this.lines;
	}

	/** The status at the moment of the call; a later change makes a different object. */
	Status status() {
		return this.status;
	}

	LinkState state() {
		return this.status.state;
	}

	Session session() {
		return this.status.session;
	}

	/**
	 * Moves from one state to another if the link is in the first, in the given session. A procedure passes the
	 * session its failure happened in, so that once the client has started a new session nothing of the old one
	 * can touch it. The recovery procedures of Figs. 5-8 start from {@code NORMAL}; a quiesced link is just as up, so
	 * {@code from} {@code NORMAL} also matches {@code QUIESCED}, and a move to {@code NORMAL} while either side is
	 * quiesced ends in {@code QUIESCED} (see {@link #moveTo}).
	 * @return whether the link was in {@code from} and moved
	 */
	synchronized boolean transition(long session, LinkState from, LinkState to, StateChange change) {
		LinkState state = this.status.state;
		if (this.status.session.id() != session
				|| (state != from && !(from == LinkState.NORMAL && state == LinkState.QUIESCED))) {
			return false;
		}
		moveTo(to, change);
		return true;
	}

	/**
	 * Moves to a state if the status is still the one given: nothing has changed since it was read.
	 * @return whether it moved
	 */
	synchronized boolean transition(Status expected, LinkState to, StateChange change) {
		if (this.status != expected) {
			return false;
		}
		moveTo(to, change);
		return true;
	}

	/**
	 * Moves to a state; the caller holds this object's monitor and has checked that the move is meant. A link that is
	 * quiesced on either side and would be {@code NORMAL} is {@code QUIESCED}: a socket that recovers, or a session
	 * that is established, while the application is paused leaves it paused.
	 * @throws IllegalStateException if {@link LinkState#canMoveTo(LinkState)} forbids it
	 */
	void moveTo(LinkState target, StateChange change) {
		Status from = this.status;
		LinkState to = (target == LinkState.NORMAL && from.isQuiesced()) ? LinkState.QUIESCED : target;
		if (!from.state.canMoveTo(to)) {
			throw new IllegalStateException(
					this.logPrefix + "no transition from " + from.state + " to " + to + " (" + change.cause() + ")");
		}
		Instant now = this.context.now();
		Status entered = new Status(to, now, change.cause(), from.session, from.peerClosing, from.quiescedHere,
				from.peerQuiesced);
		this.status = entered;
		this.moves++;
		if (logger.isInfoEnabled()) {
			String line = this.lines.admit(() -> logLine(from.state, to, change));
			if (line != null) {
				logger.info(line);
			}
		}
		this.publisher.accept(new LinkStateChangedEvent(this.context.endpointName(), this.linkId, from.state, to,
				change.cause(), change.socket(), change.procedure(), this.diagnosis, now));
		if (to == LinkState.NORMAL || to == LinkState.CLOSED || (to == LinkState.QUIESCED && !from.state.isUp())) {
			// The failure is behind the link (it is up again, if quiesced): a later verdict of its diagnosis says
			// nothing of the next stay.
			this.diagnosis = null;
			this.diagnosing = false;
		}
		if (to == LinkState.RECOVERING) {
			watch(entered);
		}
		else if (to == LinkState.DISCONNECTED) {
			// The session is over: its kept answers go now, not when the last timer that refers to it has fired.
			from.session.served().endSession();
		}
	}

	/**
	 * Bounds a {@code RECOVERING} status by {@code recovery.timeout}: a timer, not the procedure, decides, so a step
	 * that hangs cannot hold the link there.
	 */
	private void watch(Status recovering) {
		Duration bound = this.context.settings().recovery().timeout();
		long stay = this.moves;
		this.context.transport().timer().newTimeout((expired) -> {
			// Still the same stay in RECOVERING: the status may have been replaced meanwhile without a move (the
			// peer said it is closing), which must not disarm the bound.
			Status current = this.status;
			if (current.state == LinkState.RECOVERING && this.moves == stay) {
				this.overdue.accept(current);
			}
		}, bound.toNanos(), TimeUnit.NANOSECONDS);
	}

	/**
	 * A diagnosis of a socket failure starts: the changes from now on carry no verdict until it has one.
	 */
	synchronized void diagnosisStarted() {
		this.diagnosis = null;
		this.diagnosing = true;
	}

	/**
	 * A diagnosis reached its verdict: its event is enqueued under the link's lock, so the changes enqueued after it
	 * carry the verdict and those before it do not, unless the link was {@code NORMAL} again meanwhile.
	 * @param verdict the verdict
	 * @param diagnosed the event that reports it
	 */
	synchronized void diagnosed(FailureVerdict verdict, DualSocketEvent diagnosed) {
		if (this.diagnosing) {
			this.diagnosis = verdict;
		}
		this.publisher.accept(diagnosed);
	}

	/**
	 * Starts a new session: the peer is no longer closing. State, since and cause stay as they are.
	 */
	synchronized void beginSession(Session session) {
		Status current = this.status;
		if (current.session != session) {
			current.session.served().endSession();
		}
		this.status = new Status(current.state, current.since, current.cause, session, false, current.quiescedHere,
				false);
	}

	/**
	 * Quiesces this side or resumes it (seed 002). A link that is up moves between {@code NORMAL} and
	 * {@code QUIESCED} at once; one that is not keeps the decision for when it is.
	 * @param quiesced whether this side is now quiesced
	 * @param change why, for the log and the event
	 * @return whether this side's decision changed
	 */
	synchronized boolean quiesceHere(boolean quiesced, StateChange change) {
		Status current = this.status;
		if (current.quiescedHere == quiesced) {
			return false;
		}
		this.status = new Status(current.state, current.since, current.cause, current.session, current.peerClosing,
				quiesced, current.peerQuiesced);
		followQuiesce(change);
		return true;
	}

	/**
	 * Records that the peer quiesced or resumed, in the current session only: a frame that a connection of an ended
	 * session delivers late says nothing about the current one.
	 * @param session the session of the connection the frame arrived on
	 * @param quiesced whether the peer is now quiesced
	 * @param change why, for the log and the event
	 * @return whether it is the current session and the peer's state changed
	 */
	synchronized boolean peerQuiesced(Session session, boolean quiesced, StateChange change) {
		Status current = this.status;
		if (current.session != session || current.peerQuiesced == quiesced) {
			return false;
		}
		this.status = new Status(current.state, current.since, current.cause, current.session, current.peerClosing,
				current.quiescedHere, quiesced);
		followQuiesce(change);
		return true;
	}

	private void followQuiesce(StateChange change) {
		Status current = this.status;
		if (current.state == LinkState.NORMAL && current.isQuiesced()) {
			moveTo(LinkState.QUIESCED, change);
		}
		else if (current.state == LinkState.QUIESCED && !current.isQuiesced()) {
			moveTo(LinkState.NORMAL, change);
		}
	}

	/**
	 * Records that the peer said it is shutting down, until the next session. A CLOSE that a connection of an ended
	 * session delivers late (after the link moved to a standby, say) says nothing about the current session's peer.
	 * @param session the session of the connection the CLOSE arrived on
	 * @return {@code true} if it is the current session and the peer had not said so before
	 */
	synchronized boolean markPeerClosing(Session session) {
		Status current = this.status;
		if (current.session != session || current.peerClosing) {
			return false;
		}
		this.status = new Status(current.state, current.since, current.cause, current.session, true,
				current.quiescedHere, current.peerQuiesced);
		return true;
	}

	private String logLine(LinkState from, LinkState to, StateChange change) {
		StringBuilder line = new StringBuilder(this.logPrefix).append(from)
			.append(" -> ")
			.append(to)
			.append(" (")
			.append(change.cause())
			.append(')');
		if (change.procedure() != null) {
			line.append(" [").append(change.procedure().figure()).append(']');
		}
		if (!change.next().isEmpty()) {
			line.append("; next: ").append(change.next());
		}
		return line.toString();
	}

	/**
	 * One status of the link. Equal values are still different statuses: callers compare them by identity.
	 *
	 * @param state the state
	 * @param since when the link entered it
	 * @param cause why
	 * @param session the session the link is in
	 * @param peerClosing whether the peer said it is shutting down, in this session
	 * @param quiescedHere whether this side is quiesced; kept across sessions until it resumes
	 * @param peerQuiesced whether the peer said it is quiesced, in this session
	 */
	record Status(LinkState state, Instant since, String cause, Session session, boolean peerClosing,
			boolean quiescedHere, boolean peerQuiesced) {

		/** Both sockets were connected in this session: requests are sent, not held until the establishment. */
		boolean isEstablished() {
			return this.state.isUp() || this.state == LinkState.RECOVERING;
		}

		/** Either side is quiesced. */
		boolean isQuiesced() {
			return this.quiescedHere || this.peerQuiesced;
		}

		/** Whether new requests are taken: the state takes them, and the peer is not shutting down. */
		boolean acceptsRequests() {
			return this.state.acceptsRequests() && !this.peerClosing;
		}

	}

}
