package dev.dualsocket.link;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.dualsocket.LinkDisconnectedException;
import dev.dualsocket.LinkState;
import dev.dualsocket.SocketFailure;
import dev.dualsocket.SocketRole;
import dev.dualsocket.event.DualSocketEvent;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.link.LinkStateMachine.Status;
import dev.dualsocket.protocol.InFlightPolicy;
import dev.dualsocket.transport.Connections;
import dev.dualsocket.transport.Frame;
import dev.dualsocket.transport.ProtocolViolationException;
import io.netty.channel.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A link: two sockets to one peer, one state, the requests in flight each way. This class puts the parts together and
 * makes the changes that touch more than one of them (attaching a socket, giving the link up, closing it); each part
 * keeps its own concern: the {@link LinkStateMachine} the one state field and its transitions, the {@link Requester}
 * the requests this side sends, the {@link Responder} those the peer sends, the {@link SocketPair} the two sockets,
 * and the role's {@link Recovery} what is done when a socket fails. Every state change is logged at INFO and
 * published as a {@link LinkStateChangedEvent}, delivered off the link's lock.
 *
 * <p>Created by the endpoints ({@link #client} and {@link #server}); the methods that are public but not part of
 * {@link DualSocketLink} are for them.
 */
public final class Link implements DualSocketLink {

	private static final Log logger = LogFactory.getLog(Link.class);

	private final LinkContext context;

	private final String id;

	/** This link's events, in the order they happen; posted under the lock, delivered off it. */
	private final EventMailbox events;

	private final LinkStateMachine states;

	private final SocketPair sockets;

	private final Requester requester;

	private final Responder responder;

	/** Seed 003: finds out what failed when a socket does, beside the recovery procedure. */
	private final DiagnosisLadder diagnosis;

	private final Object drainSignal = new Object();

	private Recovery recovery = NoRecovery.INSTANCE;

	private Link(LinkContext context, String id, Session session) {
		this.context = context;
		this.id = id;
		String owner = "endpoint '" + context.endpointName() + "', link '" + id + "'";
		this.events = context.mailbox(owner);
		EventMailbox observations = context.mailbox(owner + " (request observations)");
		this.states = new LinkStateMachine(context, id, session, this::publish, this::recoveryOverdue);
		this.sockets = new SocketPair(context, id, this.states, this::publish, this::requestLowWatermark);
		this.requester = new Requester(context, id, this.states, this.sockets.outbound(), observations,
				this::signalIfClosed);
		this.responder = new Responder(context, id, this.states, this.sockets.inbound(), observations,
				this::signalIfClosed);
		if (this.states.status().quiescedHere()) {
			this.responder.hold(session);
		}
		this.diagnosis = new DiagnosisLadder(this, context, this.states, this.sockets);
	}

	/**
	 * Creates a client's link and starts establishing it.
	 * @param context the endpoint's shared context
	 * @param id the link id the client presents
	 * @param connector connects one socket of the link
	 * @return the link, {@link LinkState#CONNECTING}
	 */
	public static Link client(LinkContext context, String id, SocketConnector connector) {
		Link link = new Link(context, id, Session.opening(0, context.settings()));
		link.recovery = new ClientRecovery(link, connector);
		link.diagnosis.alternatesFrom(connector);
		link.recovery.start();
		return link;
	}

	/**
	 * Creates a server's link for a client's first connection.
	 * @param context the endpoint's shared context
	 * @param id the link id the client presented
	 * @param sessionId the client's session
	 * @param forget removes the link from its endpoint once it is disconnected for good
	 * @return the link, {@link LinkState#CONNECTING} until both sockets are attached
	 */
	public static Link server(LinkContext context, String id, long sessionId, Runnable forget) {
		Link link = new Link(context, id, Session.accepted(sessionId, context.settings()));
		link.recovery = new ServerRecovery(link, forget);
		link.recovery.start();
		return link;
	}

	@Override
	public String getId() {
		return this.id;
	}

	@Override
	public String getEndpointName() {
		return this.context.endpointName();
	}

	@Override
	public LinkState getState() {
		return this.states.state();
	}

	/**
	 * A fresh session id, for a server that names the sessions of a protocol without them.
	 * @return a random id, never 0
	 */
	public static long newSessionId() {
		return Session.newId();
	}

	/**
	 * The client's id for the current incarnation of this link.
	 * @return the session id
	 */
	public long sessionId() {
		return this.states.session().id();
	}

	/**
	 * The token of the current session: the server's, handed to the client in its answer to the session's first
	 * connection. A secret, never to be logged.
	 * @return the token; empty on a client before the server accepted the session
	 */
	public byte[] sessionToken() {
		return this.states.session().token();
	}

	/**
	 * Whether a handshake may join the link's current session: it names the session and its token, and the session
	 * has not ended.
	 * @param sessionId the session id presented
	 * @param token the token presented
	 * @return whether the session is held and named
	 */
	public boolean holdsSession(long sessionId, byte[] token) {
		Status current = this.states.status();
		return current.state().acceptsRequests() && current.session().isNamedBy(sessionId, token);
	}

	/**
	 * Whether a connection of the current session is still attached: one that has not failed its heartbeats, since a
	 * connection that does is detached at once. A server on which nobody authenticates refuses a new session for
	 * such a link ({@code LINK_IN_USE}): it cannot tell the restarted client from a stranger, and the real client's
	 * old connections fail within a heartbeat timeout of it going away.
	 * @return whether either socket is up
	 */
	public boolean hasLiveConnection() {
		synchronized (this.states) {
			return this.sockets.isUp(SocketRole.OUTBOUND) || this.sockets.isUp(SocketRole.INBOUND);
		}
	}

	/**
	 * Whether a connection is attached to one of the sockets now.
	 * @param role the socket
	 * @return whether it is up
	 */
	public boolean isSocketUp(SocketRole role) {
		return this.sockets.isUp(role);
	}

	LinkContext context() {
		return this.context;
	}

	/** The connection attached to a socket now, or {@code null}; for tests of what the transport set on it. */
	@Nullable Channel channel(SocketRole role) {
		return this.sockets.socket(role).channel();
	}

	/**
	 * Writes an INFO line about this link within the link's budget of lines (30 per 10 s), which a peer that breaks
	 * the link at will cannot exceed.
	 * @param log the logger of the class that writes
	 * @param line the line, made only when it is written
	 */
	void logInfo(Log log, Supplier<String> line) {
		if (log.isInfoEnabled()) {
			String admitted = this.states.lines().admit(line);
			if (admitted != null) {
				log.info(admitted);
			}
		}
	}

	/**
	 * Publishes an event of this link. Only enqueues, so it may be called under the link's lock, which keeps the
	 * events in the order of the changes; listeners run later on the event threads.
	 */
	void publish(DualSocketEvent event) {
		this.context.publish(this.events, event);
	}

	private long requestLowWatermark() {
		return this.requester.lowWatermark();
	}

	Requester requester() {
		return this.requester;
	}

	Responder responder() {
		return this.responder;
	}

	// ----------------------------------------------------------------------------------------------------------
	// Requests
	// ----------------------------------------------------------------------------------------------------------

	@Override
	public CompletableFuture<byte[]> request(byte[] payload) {
		return this.requester.request(payload);
	}

	@Override
	public <T> CompletableFuture<T> request(Object payload, Class<T> responseType) {
		return this.requester.request(payload, responseType);
	}

	@Override
	public <T> CompletableFuture<T> request(String messageType, Object payload, Class<T> responseType) {
		return this.requester.request(messageType, payload, responseType);
	}

	// ----------------------------------------------------------------------------------------------------------
	// Sockets
	// ----------------------------------------------------------------------------------------------------------

	boolean isUp(SocketRole role) {
		return this.sockets.isUp(role);
	}

	/**
	 * Attaches a connection whose handshake succeeded to one of the sockets, replacing (and closing) any connection
	 * attached before. Runs on the connection's event loop, before any frame after the handshake is read.
	 * @param role which socket
	 * @param channel the connection
	 * @param sessionId the session the handshake named
	 * @param token the session's token as the server accepted the connection with it
	 * @throws LinkDisconnectedException if the link is disconnected or closed, or no longer in that session
	 * @throws ProtocolViolationException if the server accepted the connection without the session's token
	 * @throws UncheckedIOException if the network interface carrying the connection is down
	 */
	public void attach(SocketRole role, Channel channel, long sessionId, byte[] token) {
		SocketPair.Attached attached = this.sockets.attach(role, channel, sessionId, token,
				(session) -> new LinkChannelHandler(this, role, session));
		if (role == SocketRole.OUTBOUND && attached.established()) {
			// A re-connected outbound socket of the session: what was in flight goes out again under the same ids.
			// While the link is being established nothing is sent; completing the establishment sends it.
			this.requester.sendOutstanding(attached.session());
		}
		if (this.states.status().quiescedHere()) {
			// The peer forgets a QUIESCE when its session ends, and a connection may be of a new session: tell it here.
			this.sockets.socket(role).sendIfPeerQuiesces(quiesceFrame(attached.session()));
		}
		attached.wakeWaiters();
		this.recovery.socketAttached(role);
	}

	/**
	 * A connection closed. If it was attached, the socket has failed (or the peer closed it in order).
	 */
	void socketClosed(SocketRole role, Channel channel) {
		Status detached = this.sockets.detachClosed(role, channel);
		if (detached == null) {
			return;
		}
		long session = detached.session().id();
		if (detached.peerClosing()) {
			if (this.sockets.isUp(role.other())) {
				// The closing peer closes both; answers still on their way on the other connection (an ERROR
				// SHUTTING_DOWN for a request it held, say) are read before that one closes too, and only then is the
				// link given up and what is left outstanding failed.
				return;
			}
			// Only the stay in which the socket closed: by the time this runs, the other socket's close may have
			// disconnected the link already and a re-establishment moved it on, still in the old session for a moment.
			disconnect((status) -> status.session() == detached.session() && status.state() == detached.state()
					&& status.since().equals(detached.since()),
					StateChange.because(StateChange.PEER_CLOSED).then(this.recovery.planAfterPeerClosed()));
			return;
		}
		SocketFailure failure = Connections.failureOf(channel);
		if (role == SocketRole.OUTBOUND && this.context.protocol().getInFlightPolicy() == InFlightPolicy.FAIL) {
			// A protocol that cannot make a re-send safe: what went out on the failed connection fails now, and the
			// caller decides; what was not sent yet waits for the socket as ever.
			this.requester.failSent("lost its outbound connection (" + failure + ") with the "
					+ "request in flight: it may or may not have run, and protocol " + this.context.protocol().getName()
					+ " cannot re-send it safely");
		}
		// The procedure first: its first steps (a probe, a re-connect) then go out ahead of the diagnosis's, which runs
		// beside the procedure and never holds it up, and whose start here only delays the procedure's otherwise.
		this.recovery.socketFailed(role, failure, session);
		this.diagnosis.socketFailed(role, channel, failure, detached);
	}

	/**
	 * Detaches and closes a socket's connection, if any and if the link is still in the given session; the close
	 * reports no failure.
	 */
	void closeSocket(long session, SocketRole role) {
		this.sockets.close(session, role);
	}

	@Override
	public boolean dropSocket(SocketRole role) {
		return this.sockets.drop(role);
	}

	CompletableFuture<Boolean> probe(SocketRole role, Duration timeout) {
		return this.sockets.probe(role, timeout);
	}

	/**
	 * Waits for a connection to be attached to a socket (blocks 745 and 835-840 of Figs. 7 and 8).
	 * @return {@code true} once attached (at once if it already is), {@code false} when the timeout passes first
	 */
	CompletableFuture<Boolean> awaitAttached(SocketRole role, Duration timeout) {
		return this.sockets.awaitAttached(role, timeout);
	}

	/**
	 * The peer sent CLOSE on a connection of a session; only the current session's counts.
	 */
	void onPeerClosing(String reason, Session session) {
		if (this.states.markPeerClosing(session)) {
			logInfo(logger, () -> this.context.logPrefix(this.id) + "peer is shutting down (" + reason
					+ "); no new requests go to it, requests in flight are still answered");
		}
	}

	/**
	 * The peer sent QUIESCE on a connection of a session; only the current session's counts.
	 */
	void onPeerQuiesced(long lastServed, String reason, Session session) {
		this.states.peerQuiesced(session, true, StateChange.because("the peer quiesced (" + reason
				+ "); it still serves this side's requests up to id " + lastServed)
			.then("keep both sockets and their heartbeats; later requests wait at the peer until it resumes"));
	}

	/**
	 * The peer sent RESUME on a connection of a session; only the current session's counts.
	 */
	void onPeerResumed(String reason, Session session) {
		this.states.peerQuiesced(session, false, StateChange.because("the peer resumed"
				+ (reason.isEmpty() ? "" : " (" + reason + ")")));
	}

	// ----------------------------------------------------------------------------------------------------------
	// Quiesce (seed 002)
	// ----------------------------------------------------------------------------------------------------------

	@Override
	public void quiesce() {
		Session session;
		long lastServed;
		synchronized (this.states) {
			if (!this.states.quiesceHere(true, StateChange.because("quiesced on this side")
				.then("keep both sockets; hold the peer's new requests (at most "
						+ this.context.settings().quiesce().maxQueued() + ") until resumed"))) {
				return;
			}
			session = this.states.session();
			lastServed = this.responder.hold(session);
		}
		this.sockets.sendQuiesceFrameOnBoth(Frame.quiesce(lastServed, quiesceReason()));
	}

	@Override
	public void resume() {
		Status resumed;
		synchronized (this.states) {
			if (!this.states.quiesceHere(false, StateChange.because("resumed on this side")
				.then("serve the " + this.responder.heldCount() + " held request(s) in arrival order"))) {
				return;
			}
			resumed = this.states.status();
		}
		this.sockets.sendQuiesceFrameOnBoth(Frame.resume("endpoint '" + this.context.endpointName() + "' resumed"));
		this.responder.resume();
		if (resumed.isEstablished()) {
			this.requester.sendOutstanding(resumed.session());
		}
	}

	@Override
	public boolean isQuiesced() {
		return this.states.status().quiescedHere();
	}

	private Frame quiesceFrame(Session session) {
		return Frame.quiesce(this.responder.lastTaken(session), quiesceReason());
	}

	private String quiesceReason() {
		return "endpoint '" + this.context.endpointName() + "' is quiesced";
	}

	// ----------------------------------------------------------------------------------------------------------
	// State changes
	// ----------------------------------------------------------------------------------------------------------

	/**
	 * Moves from one state to another if the link is in the first, in the given session.
	 * @return whether the link was in {@code from} and moved
	 * @see LinkStateMachine#transition(long, LinkState, LinkState, StateChange)
	 */
	boolean transition(long session, LinkState from, LinkState to, StateChange change) {
		return this.states.transition(session, from, to, change);
	}

	/**
	 * Moves from one state to another if the status is still the one of the token, in state {@code from}.
	 * @return whether it moved
	 */
	boolean transitionIfStill(Object statusToken, LinkState from, LinkState to, StateChange change) {
		return statusToken instanceof Status expected && expected.state() == from
				&& this.states.transition(expected, to, change);
	}

	/**
	 * Completes an establishment: {@code CONNECTING} to {@code NORMAL}, if both sockets are attached.
	 * @return whether the link is now {@code NORMAL}
	 */
	boolean completeEstablishment(StateChange change) {
		Session session;
		synchronized (this.states) {
			if (this.states.state() != LinkState.CONNECTING || !this.sockets.bothUp()) {
				return false;
			}
			this.states.moveTo(LinkState.NORMAL, change);
			session = this.states.session();
		}
		// Requests made while connecting go out now, in the session just established, and never in an earlier one.
		this.requester.sendOutstanding(session);
		return true;
	}

	/**
	 * Gives the link up: {@code DISCONNECTED}, both sockets closed, every outstanding request failed at once with a
	 * {@link LinkDisconnectedException}. Then the role's recovery decides what comes next.
	 */
	void disconnect(long session, StateChange change) {
		disconnect((status) -> status.session().id() == session, change);
	}

	/**
	 * The link stayed {@code RECOVERING} past {@code recovery.timeout}: whatever its procedure is doing, it is given
	 * up, and the procedure with it.
	 */
	private void recoveryOverdue(Status recovering) {
		disconnect((status) -> status == recovering, StateChange.because("a recovery procedure did not finish within "
				+ "recovery.timeout (" + this.context.settings().recovery().timeout().toMillis() + " ms)")
			.then(this.recovery.planAfterDisconnect()));
	}

	private void disconnect(Predicate<Status> applies, StateChange change) {
		List<Channel> detached;
		synchronized (this.states) {
			Status status = this.states.status();
			if (!applies.test(status) || status.state() == LinkState.DISCONNECTED
					|| status.state() == LinkState.CLOSED) {
				return;
			}
			this.states.moveTo(LinkState.DISCONNECTED, change);
			detached = this.sockets.detachBoth();
		}
		detached.forEach(SocketPair::closeQuietly);
		this.responder.dropHeld();
		this.requester.sessionEnded("disconnected: " + change.cause());
		this.sockets.cancelAttachWaiters();
		this.recovery.disconnected(change);
	}

	/**
	 * Starts a new session that this client opens: the peer's earlier requests are forgotten and it is no longer
	 * closing. The server hands out the session's token when it accepts the first connection.
	 * @param sessionId the new session's id
	 */
	void beginSession(long sessionId) {
		this.states.beginSession(Session.opening(sessionId, this.context.settings()));
	}

	/**
	 * Takes a server's link into a client's new session, with a fresh token: whatever the old session was doing is
	 * given up (its requests fail, the replies of its handlers go nowhere), and the link waits for the new session's
	 * two sockets.
	 * @param sessionId the new session's id
	 * @param cause why, for the log and events
	 * @return {@code false} if the link is closed and a new one must be made
	 */
	public boolean restart(long sessionId, String cause) {
		disconnect(sessionId(), StateChange.because(cause).then("wait for the new session's sockets"));
		synchronized (this.states) {
			if (!this.states.transition(sessionId(), LinkState.DISCONNECTED, LinkState.CONNECTING,
					StateChange.because("new session from the client").then("wait for both sockets"))) {
				return false;
			}
			this.states.beginSession(Session.accepted(sessionId, this.context.settings()));
		}
		this.recovery.start();
		return true;
	}

	/** Status at the moment of the call; a later change makes a different object. */
	Object statusToken() {
		return this.states.status();
	}

	boolean statusIs(Object token) {
		return this.states.status() == token;
	}

	// ----------------------------------------------------------------------------------------------------------
	// Shutdown
	// ----------------------------------------------------------------------------------------------------------

	/**
	 * First step of an orderly close, the quiesce path of seed 002 without the way back: the link goes {@code CLOSED}
	 * and takes no new requests, its procedures stop, the peer's held and new requests are answered
	 * {@code SHUTTING_DOWN} (they did not run), and the peer is told with a {@code CLOSE} on both sockets, which names
	 * the last of its requests still served where the peer understands quiesce. Requests in flight either way go on.
	 */
	public void beginClose() {
		Session session;
		synchronized (this.states) {
			if (this.states.state() == LinkState.CLOSED) {
				return;
			}
			this.states.moveTo(LinkState.CLOSED, StateChange.because("endpoint stopped")
				.then("finish the requests in flight, then close both sockets"));
			session = this.states.session();
		}
		this.recovery.stop();
		this.diagnosis.stop();
		this.responder.refuse();
		this.sockets.sendCloseOnBoth("endpoint '" + this.context.endpointName() + "' is stopping",
				this.responder.lastTaken(session));
	}

	/**
	 * Whether no request is in flight either way: none this side awaits, none the peer's handlers here still run or
	 * hold while quiesced.
	 * @return whether the link is idle
	 */
	public boolean isIdle() {
		return this.requester.isIdle() && this.responder.isIdle() && this.responder.heldCount() == 0;
	}

	/**
	 * Waits until no request is in flight either way, or until the deadline.
	 * @param deadlineNanos {@link System#nanoTime()} after which to stop waiting
	 * @return whether everything finished
	 * @throws InterruptedException if interrupted while waiting
	 */
	public boolean awaitDrained(long deadlineNanos) throws InterruptedException {
		synchronized (this.drainSignal) {
			while (!(this.requester.isIdle() && this.responder.isIdle())) {
				long left = deadlineNanos - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				TimeUnit.NANOSECONDS.timedWait(this.drainSignal, left);
			}
			return true;
		}
	}

	private void signalIfClosed() {
		if (this.states.state() == LinkState.CLOSED) {
			synchronized (this.drainSignal) {
				this.drainSignal.notifyAll();
			}
		}
	}

	/**
	 * Last step of an orderly close: both sockets closed, whatever is still outstanding failed.
	 */
	public void finishClose() {
		List<Channel> detached;
		synchronized (this.states) {
			detached = this.sockets.detachBoth();
		}
		detached.forEach(SocketPair::closeQuietly);
		this.requester.failAll("was closed");
	}

	@Override
	public void reconnect() {
		this.recovery.reconnect("reconnect requested");
	}

	@Override
	public LinkSnapshot snapshot() {
		Status current = this.states.status();
		return new LinkSnapshot(this.context.endpointName(), this.id, this.context.role(), current.state(),
				current.since(), current.cause(), this.sockets.outbound().snapshot(), this.sockets.inbound().snapshot(),
				this.requester.outstanding(), current.quiescedHere(), current.peerQuiesced(), this.responder.heldCount(),
				this.diagnosis.last(), this.requester.connectAttempts());
	}

	@Override
	public String toString() {
		return "Link[" + this.context.endpointName() + "/" + this.id + " " + this.states.state() + "]";
	}

	private enum NoRecovery implements Recovery {

		INSTANCE;

		@Override
		public void start() {
		}

		@Override
		public void socketFailed(SocketRole socket, SocketFailure failure, long session) {
		}

		@Override
		public void socketAttached(SocketRole socket) {
		}

		@Override
		public void disconnected(StateChange change) {
		}

		@Override
		public void reconnect(String cause) {
		}

		@Override
		public String planAfterPeerClosed() {
			return "";
		}

		@Override
		public String planAfterDisconnect() {
			return "";
		}

		@Override
		public void stop() {
		}

	}

}
