package dev.dualsocket.link;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.dualsocket.FailureCause;
import dev.dualsocket.LinkDisconnectedException;
import dev.dualsocket.LinkState;
import dev.dualsocket.RemoteRequestException;
import dev.dualsocket.SocketFailure;
import dev.dualsocket.SocketRole;
import dev.dualsocket.codec.PayloadCodec;
import dev.dualsocket.event.DualSocketEvent;
import dev.dualsocket.event.LinkStateChangedEvent;
import dev.dualsocket.event.SocketConnectedEvent;
import dev.dualsocket.event.SocketFailedEvent;
import dev.dualsocket.link.OutstandingRequests.Outstanding;
import dev.dualsocket.link.RequestObserver.Direction;
import dev.dualsocket.link.RequestObserver.Outcome;
import dev.dualsocket.transport.ConnectionErrorHandler;
import dev.dualsocket.transport.Connections;
import dev.dualsocket.transport.ErrorReply;
import dev.dualsocket.transport.Frame;
import dev.dualsocket.transport.FrameType;
import dev.dualsocket.transport.HeartbeatHandler;
import dev.dualsocket.transport.ProtocolViolationException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.util.Timeout;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A link: two sockets to one peer, one state, the requests in flight each way. The state lives in one field and
 * changes only through {@link LinkState#canMoveTo(LinkState)}; each change is logged at INFO and published as a
 * {@link LinkStateChangedEvent}. What is done when a socket fails is up to the role's {@link Recovery}.
 *
 * <p>Created by the endpoints ({@link #client} and {@link #server}); the methods that are public but not part of
 * {@link DualSocketLink} are for them.
 */
public final class Link implements DualSocketLink {

	private static final Log logger = LogFactory.getLog(Link.class);

	private final LinkContext context;

	private final String id;

	private final String logPrefix;

	private final LinkSocket outbound;

	private final LinkSocket inbound;

	private final OutstandingRequests outstanding;

	/** This link's events, in the order they happen; posted under the lock, delivered off it. */
	private final EventMailbox events;

	/** How this link's requests ended, for the observer. */
	private final EventMailbox observations;

	private final AtomicInteger runningHandlers = new AtomicInteger();

	private final Object drainSignal = new Object();

	/** The one state field: state, since when, why, and the session. Written under the link's lock. */
	private volatile Status status;

	/** The peer said it is shutting down: send it nothing new. Cleared by a new session. */
	private volatile boolean peerClosing;

	private Recovery recovery;

	private Link(LinkContext context, String id, Session session) {
		this.context = context;
		this.id = id;
		this.logPrefix = "Endpoint '" + context.endpointName() + "', link '" + id + "': ";
		String owner = "endpoint '" + context.endpointName() + "', link '" + id + "'";
		this.events = context.mailbox(owner);
		this.observations = context.mailbox(owner + " (request observations)");
		this.outbound = new LinkSocket(this, SocketRole.OUTBOUND);
		this.inbound = new LinkSocket(this, SocketRole.INBOUND);
		this.outstanding = new OutstandingRequests(context.transport().timer(), context.settings().requestTimeout(),
				"link '" + id + "' of endpoint '" + context.endpointName() + "'",
				(request, outcome) -> observeOutbound(outcome, request.elapsedNanos()));
		this.status = new Status(LinkState.CONNECTING, context.now(), "created", session);
		this.recovery = NoRecovery.INSTANCE;
		this.outstanding.startExpiring(() -> this.status.state != LinkState.CLOSED);
	}

	/**
	 * Creates a client's link and starts establishing it.
	 * @param context the endpoint's shared context
	 * @param id the link id the client presents
	 * @param connector connects one socket of the link
	 * @return the link, {@link LinkState#CONNECTING}
	 */
	public static Link client(LinkContext context, String id, SocketConnector connector) {
		Link link = new Link(context, id, Session.opening(0, context.settings().duplicateCacheSize()));
		link.recovery = new ClientRecovery(link, connector);
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
		Link link = new Link(context, id, Session.accepted(sessionId, context.settings().duplicateCacheSize()));
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
		return this.status.state;
	}

	/**
	 * The client's id for the current incarnation of this link.
	 * @return the session id
	 */
	public long sessionId() {
		return this.status.session.id();
	}

	/**
	 * The token of the current session: the server's, handed to the client in its answer to the session's first
	 * connection. A secret, never to be logged.
	 * @return the token; empty on a client before the server accepted the session
	 */
	public byte[] sessionToken() {
		return this.status.session.token();
	}

	/**
	 * Whether a handshake may join the link's current session: it names the session and its token, and the session
	 * has not ended.
	 * @param sessionId the session id presented
	 * @param token the token presented
	 * @return whether the session is held and named
	 */
	public boolean holdsSession(long sessionId, byte[] token) {
		Status current = this.status;
		return current.state.acceptsRequests() && current.session.isNamedBy(sessionId, token);
	}

	LinkContext context() {
		return this.context;
	}

	/**
	 * Publishes an event of this link. Only enqueues, so it may be called under the link's lock, which keeps the
	 * events in the order of the changes; listeners run later on the event threads.
	 */
	void publish(DualSocketEvent event) {
		this.context.publish(this.events, event);
	}

	// ----------------------------------------------------------------------------------------------------------
	// Requests this side sends
	// ----------------------------------------------------------------------------------------------------------

	@Override
	public CompletableFuture<byte[]> request(byte[] payload) {
		int maxFrameSize = this.context.settings().maxFrameSize();
		if (Frame.HEADER_LENGTH + payload.length > maxFrameSize) {
			return CompletableFuture.failedFuture(new IllegalArgumentException("A request payload of " + payload.length
					+ " bytes does not fit in max-frame-size of " + maxFrameSize + " bytes"));
		}
		if (!acceptsRequests()) {
			observeOutbound(Outcome.DISCONNECTED, 0);
			return CompletableFuture.failedFuture(notAccepting());
		}
		Outstanding request = this.outstanding.register(payload);
		// Read after registering: if a disconnect comes later, it fails this request. Until the link is established
		// nothing is sent; completing the establishment sends it. While the outbound socket is down the request
		// waits: attaching the socket in this session sends it.
		Status current = this.status;
		if (isEstablished(current.state)) {
			send(request, current.session);
		}
		if (!acceptsRequests()) {
			// Lost a race with a disconnect that failed the outstanding requests before this one was registered.
			this.outstanding.fail(request.id(), notAccepting());
		}
		return request.future();
	}

	@Override
	public <T> CompletableFuture<T> request(Object payload, Class<T> responseType) {
		PayloadCodec codec = this.context.codec();
		byte[] bytes;
		try {
			bytes = codec.encode(payload);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return request(bytes).thenApply((response) -> responseType.cast(codec.decode(response, responseType)));
	}

	private static boolean isEstablished(LinkState state) {
		return state == LinkState.NORMAL || state == LinkState.RECOVERING;
	}

	/**
	 * Sends a request in a session, the first it is sent in; a request is never sent in two sessions, so its answer
	 * can only come from the session it ran in.
	 */
	private void send(Outstanding request, Session session) {
		if (request.sendIn(session)) {
			this.outbound.send(Frame.request(request.id(), request.payload()), session);
		}
	}

	private void observeOutbound(Outcome outcome, long nanos) {
		this.context.observe(this.observations, Direction.OUTBOUND, outcome, nanos);
	}

	private boolean acceptsRequests() {
		return this.status.state.acceptsRequests() && !this.peerClosing;
	}

	private LinkDisconnectedException notAccepting() {
		Status current = this.status;
		String why = this.peerClosing ? "the peer is shutting down" : "it is " + current.state + " (" + current.cause + ")";
		return new LinkDisconnectedException("Link '" + this.id + "' of endpoint '" + this.context.endpointName()
				+ "' takes no requests: " + why);
	}

	void onResponse(Frame frame, Session session) {
		Outstanding request = this.outstanding.removeAnsweredIn(frame.id(), session);
		if (request == null) {
			// A second answer to a request sent twice around a socket failure, one that already timed out, or an
			// answer on a connection of another session than the request's.
			return;
		}
		if (frame.type() == FrameType.RESPONSE) {
			observeOutbound(Outcome.SUCCESS, request.elapsedNanos());
			request.future().complete(frame.payload());
		}
		else {
			observeOutbound(Outcome.ERROR, request.elapsedNanos());
			request.future().completeExceptionally(ErrorReply.fromFrame(frame).toException());
		}
		signalIfClosed();
	}

	long requestLowWatermark() {
		return this.outstanding.lowWatermark();
	}

	/**
	 * Sends the outstanding requests that belong to a session or to none yet, in id order: those whose outbound
	 * connection failed go out again under the same id, those made while connecting go out for the first time.
	 */
	private void sendOutstanding(Session session) {
		List<Outstanding> waiting = this.outstanding.inIdOrder();
		if (waiting.isEmpty()) {
			return;
		}
		logger.debug(this.logPrefix + "sending " + waiting.size() + " outstanding request(s) on the outbound socket");
		for (Outstanding request : waiting) {
			send(request, session);
		}
	}

	// ----------------------------------------------------------------------------------------------------------
	// Requests the peer sends
	// ----------------------------------------------------------------------------------------------------------

	/**
	 * Takes a request in (on the inbound connection's event loop).
	 * @return {@code true} if the handler must run it; {@code false} if it is a copy of one already taken, which is
	 * left to finish or answered again from the cache here
	 */
	boolean admitRequest(Frame request, Session session) {
		if (this.status.session != session) {
			return false; // read on a connection of a session that has ended: nobody awaits its answer here
		}
		Frame earlier = session.served().admit(request.id());
		if (earlier == null) {
			this.runningHandlers.incrementAndGet();
			return true;
		}
		if (earlier == ServedRequests.EXPIRED) {
			this.inbound.send(new ErrorReply(RemoteRequestException.Reason.DUPLICATE_EXPIRED, "request " + request.id()
					+ " is below what endpoint '" + this.context.endpointName() + "' still remembers of this session; "
					+ "it was not run again").toFrame(request.id()), session);
		}
		else if (earlier != ServedRequests.RUNNING) {
			this.inbound.send(earlier, session);
		}
		return false;
	}

	/**
	 * Runs admitted requests on the handler pool, in as many tasks as there are handler threads at most, so that
	 * a batch costs a few hand-offs instead of one each while still using every thread.
	 */
	void serve(List<Frame> requests, Session session) {
		Executor executor = this.context.transport().handlerExecutor();
		int tasks = Math.min(requests.size(), Math.max(1, this.context.transport().handlerThreads()));
		int chunk = (requests.size() + tasks - 1) / tasks;
		for (int from = 0; from < requests.size(); from += chunk) {
			List<Frame> part = requests.subList(from, Math.min(requests.size(), from + chunk));
			try {
				executor.execute(() -> part.forEach((request) -> serve(request, session)));
			}
			catch (RejectedExecutionException ex) {
				part.forEach((request) -> rejectBusy(request, session));
			}
		}
	}

	private void rejectBusy(Frame request, Session session) {
		this.runningHandlers.decrementAndGet();
		session.served().abandon(request.id());
		this.inbound.send(new ErrorReply(RemoteRequestException.Reason.BUSY,
				"endpoint '" + this.context.endpointName() + "' is busy: its handler queue is full")
			.toFrame(request.id()), session);
	}

	private void serve(Frame request, Session session) {
		long started = System.nanoTime();
		Frame reply;
		RequestHandler handler = this.context.handler();
		if (handler == null) {
			reply = new ErrorReply(RemoteRequestException.Reason.NO_HANDLER,
					"endpoint '" + this.context.endpointName() + "' has no request handler")
				.toFrame(request.id());
		}
		else {
			try {
				byte[] response = handler
					.handle(new IncomingRequest(this.context.endpointName(), this.id, request.id(), request.payload()));
				reply = Frame.response(request.id(), response);
			}
			catch (Throwable ex) {
				if (logger.isDebugEnabled()) {
					logger.debug(this.logPrefix + "handler failed for request " + request.id(), ex);
				}
				reply = new ErrorReply(RemoteRequestException.Reason.HANDLER_FAILED,
						ex.getClass().getSimpleName() + ": " + ex.getMessage())
					.toFrame(request.id());
			}
		}
		this.context.observe(this.observations, Direction.INBOUND,
				(reply.type() == FrameType.RESPONSE) ? Outcome.SUCCESS : Outcome.ERROR, System.nanoTime() - started);
		session.served().complete(request.id(), reply);
		// If the inbound socket is down now, the peer sends the request again and gets this reply from the cache. If
		// the session has ended, the reply goes nowhere: no connection of a later session ever carries it.
		this.inbound.send(reply, session);
		this.runningHandlers.decrementAndGet();
		signalIfClosed();
	}

	// ----------------------------------------------------------------------------------------------------------
	// Sockets
	// ----------------------------------------------------------------------------------------------------------

	LinkSocket socket(SocketRole role) {
		return (role == SocketRole.OUTBOUND) ? this.outbound : this.inbound;
	}

	boolean isUp(SocketRole role) {
		return socket(role).isUp();
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
		LinkSocket socket = socket(role);
		List<CompletableFuture<Boolean>> waiters;
		Channel previous;
		Session session;
		boolean established;
		synchronized (this) {
			LinkState state = this.status.state;
			if (!state.acceptsRequests() || !channel.isActive()) {
				throw new LinkDisconnectedException(
						"Link '" + this.id + "' is " + state + "; the new " + role.label() + " connection is closed");
			}
			session = this.status.session;
			if (session.id() != sessionId) {
				throw new LinkDisconnectedException("Link '" + this.id + "' is no longer in the session the new "
						+ role.label() + " connection was opened for; the connection is closed");
			}
			if (!session.adoptToken(token)) {
				// Not the session's token, or none at all: the peer breaks section 4.2 of the protocol.
				throw new ProtocolViolationException("the " + role.label()
						+ " connection was accepted without the session's token");
			}
			established = isEstablished(state);
			String interfaceDown = this.context.transport().interfaceMonitor().watch(channel);
			if (interfaceDown != null) {
				throw new UncheckedIOException(interfaceDown, new IOException(interfaceDown));
			}
			Connections.label(channel, this.id, role);
			LinkSettings settings = this.context.settings();
			HeartbeatHandler heartbeat = new HeartbeatHandler(settings.heartbeatInterval(),
					settings.heartbeatTimeout(), socket.heartbeatObserver(session));
			channel.pipeline().addBefore(ConnectionErrorHandler.NAME, "heartbeat", heartbeat);
			channel.pipeline()
				.addBefore(ConnectionErrorHandler.NAME, "link", new LinkChannelHandler(this, role, session));
			previous = socket.attach(channel, heartbeat, session, this.context.now());
			waiters = new ArrayList<>(socket.attachWaiters());
			socket.attachWaiters().clear();
			if (logger.isDebugEnabled()) {
				logger.debug(this.logPrefix + role.label() + " socket connected " + channel.localAddress() + " -> "
						+ channel.remoteAddress());
			}
			publish(new SocketConnectedEvent(this.context.endpointName(), this.id, role,
					channel.localAddress(), channel.remoteAddress(), this.context.now()));
		}
		if (previous != null && previous != channel) {
			// Replaced before its failure was seen here; it is no longer this socket, so its close reports nothing.
			previous.close();
		}
		if (role == SocketRole.OUTBOUND && established) {
			// A re-connected outbound socket of the session: what was in flight goes out again under the same ids.
			// While the link is being established nothing is sent; completing the establishment sends it.
			sendOutstanding(session);
		}
		waiters.forEach((waiter) -> waiter.complete(true));
		this.recovery.socketAttached(role);
	}

	/**
	 * A connection closed. If it was attached, the socket has failed (or the peer closed it in order).
	 */
	void socketClosed(SocketRole role, Channel channel) {
		SocketFailure failure = Connections.failureOf(channel);
		LinkSocket socket = socket(role);
		boolean peerClosed;
		long session;
		synchronized (this) {
			if (!socket.detach(channel)) {
				return;
			}
			session = this.status.session.id();
			peerClosed = this.peerClosing;
			if (!peerClosed) {
				socket.recordFailure(failure, this.context.now());
				logger.info(this.logPrefix + role.label() + " socket failed (" + failure + ")");
				publish(new SocketFailedEvent(this.context.endpointName(), this.id, role, failure,
						this.context.now()));
			}
		}
		if (peerClosed) {
			disconnect(session, StateChange.because(StateChange.PEER_CLOSED).then(this.recovery.planAfterPeerClosed()));
			return;
		}
		this.recovery.socketFailed(role, failure, session);
	}

	/**
	 * Detaches and closes a socket's connection, if any and if the link is still in the given session; the close
	 * reports no failure.
	 */
	void closeSocket(long session, SocketRole role) {
		Channel channel;
		synchronized (this) {
			if (this.status.session.id() != session) {
				return;
			}
			channel = socket(role).detach();
		}
		if (channel != null) {
			channel.close();
		}
	}

	@Override
	public boolean dropSocket(SocketRole role) {
		Channel channel = socket(role).channel();
		if (channel == null) {
			return false;
		}
		logger.info(this.logPrefix + "dropping the " + role.label() + " socket on request");
		// Linger 0: the peer sees a reset, as after a real fault.
		channel.config().setOption(ChannelOption.SO_LINGER, 0);
		Connections.fail(channel, new SocketFailure(FailureCause.IO_ERROR, "connection dropped on request"));
		return true;
	}

	CompletableFuture<Boolean> probe(SocketRole role, Duration timeout) {
		return socket(role).probe(timeout);
	}

	/**
	 * Waits for a connection to be attached to a socket (blocks 745 and 835-840 of Figs. 7 and 8).
	 * @return {@code true} once attached (at once if it already is), {@code false} when the timeout passes first
	 */
	CompletableFuture<Boolean> awaitAttached(SocketRole role, Duration timeout) {
		CompletableFuture<Boolean> attached = new CompletableFuture<>();
		LinkSocket socket = socket(role);
		synchronized (this) {
			if (socket.isUp()) {
				return CompletableFuture.completedFuture(true);
			}
			socket.attachWaiters().add(attached);
		}
		Timeout expiry = this.context.transport().timer().newTimeout((expired) -> {
			synchronized (this) {
				socket.attachWaiters().remove(attached);
			}
			attached.complete(false);
		}, timeout.toNanos(), TimeUnit.NANOSECONDS);
		attached.thenRun(expiry::cancel);
		return attached;
	}

	/**
	 * The peer sent CLOSE on a connection of a session. A CLOSE that a connection of an ended session delivers late
	 * (after the link moved to a standby, say) says nothing about the current session's peer.
	 */
	void onPeerClosing(String reason, Session session) {
		synchronized (this) {
			if (this.status.session != session || this.peerClosing) {
				return;
			}
			this.peerClosing = true;
		}
		logger.info(this.logPrefix + "peer is shutting down (" + reason
				+ "); no new requests go to it, requests in flight are still answered");
	}

	// ----------------------------------------------------------------------------------------------------------
	// State
	// ----------------------------------------------------------------------------------------------------------

	/**
	 * Moves from one state to another if the link is in the first, in the given session. A procedure passes the
	 * session its failure happened in, so that once the client has started a new session nothing of the old one
	 * can touch it.
	 * @return whether the link was in {@code from} and moved
	 */
	synchronized boolean transition(long session, LinkState from, LinkState to, StateChange change) {
		if (this.status.session.id() != session || this.status.state != from) {
			return false;
		}
		moveTo(to, change);
		return true;
	}

	/**
	 * Completes an establishment: {@code CONNECTING} to {@code NORMAL}, if both sockets are attached.
	 * @return whether the link is now {@code NORMAL}
	 */
	boolean completeEstablishment(StateChange change) {
		Session session;
		synchronized (this) {
			if (this.status.state != LinkState.CONNECTING || !this.outbound.isUp() || !this.inbound.isUp()) {
				return false;
			}
			moveTo(LinkState.NORMAL, change);
			session = this.status.session;
		}
		// Requests made while connecting go out now, in the session just established, and never in an earlier one.
		sendOutstanding(session);
		return true;
	}

	/**
	 * Gives the link up: {@code DISCONNECTED}, both sockets closed, every outstanding request failed at once with a
	 * {@link LinkDisconnectedException}. Then the role's recovery decides what comes next.
	 */
	void disconnect(long session, StateChange change) {
		Channel out;
		Channel in;
		synchronized (this) {
			LinkState state = this.status.state;
			if (this.status.session.id() != session || state == LinkState.DISCONNECTED || state == LinkState.CLOSED) {
				return;
			}
			moveTo(LinkState.DISCONNECTED, change);
			out = this.outbound.detach();
			in = this.inbound.detach();
		}
		closeQuietly(out);
		closeQuietly(in);
		this.outstanding.failAll(() -> new LinkDisconnectedException("Link '" + this.id + "' of endpoint '"
				+ this.context.endpointName() + "' disconnected: " + change.cause()));
		// A procedure still waiting for a socket to come back has nothing left to wait for.
		cancelAttachWaiters(this.outbound);
		cancelAttachWaiters(this.inbound);
		this.recovery.disconnected(change);
	}

	private void cancelAttachWaiters(LinkSocket socket) {
		List<CompletableFuture<Boolean>> waiters;
		synchronized (this) {
			waiters = new ArrayList<>(socket.attachWaiters());
			socket.attachWaiters().clear();
		}
		waiters.forEach((waiter) -> waiter.complete(false));
	}

	/**
	 * Starts a new session that this client opens: the peer's earlier requests are forgotten and it is no longer
	 * closing. The server hands out the session's token when it accepts the first connection.
	 * @param sessionId the new session's id
	 */
	void beginSession(long sessionId) {
		beginSession(Session.opening(sessionId, this.context.settings().duplicateCacheSize()));
	}

	private synchronized void beginSession(Session session) {
		Status current = this.status;
		this.status = new Status(current.state, current.since, current.cause, session);
		this.peerClosing = false;
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
		synchronized (this) {
			if (!transition(sessionId(), LinkState.DISCONNECTED, LinkState.CONNECTING,
					StateChange.because("new session from the client").then("wait for both sockets"))) {
				return false;
			}
			beginSession(Session.accepted(sessionId, this.context.settings().duplicateCacheSize()));
		}
		this.recovery.start();
		return true;
	}

	/** Status at the moment of the call; a later change makes a different object. */
	Object statusToken() {
		return this.status;
	}

	boolean statusIs(Object token) {
		return this.status == token;
	}

	private void moveTo(LinkState to, StateChange change) {
		Status from = this.status;
		if (!from.state.canMoveTo(to)) {
			throw new IllegalStateException(
					this.logPrefix + "no transition from " + from.state + " to " + to + " (" + change.cause() + ")");
		}
		Instant now = this.context.now();
		this.status = new Status(to, now, change.cause(), from.session);
		if (logger.isInfoEnabled()) {
			StringBuilder line = new StringBuilder(this.logPrefix).append(from.state)
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
			logger.info(line);
		}
		publish(new LinkStateChangedEvent(this.context.endpointName(), this.id, from.state, to,
				change.cause(), change.socket(), change.procedure(), now));
	}

	// ----------------------------------------------------------------------------------------------------------
	// Shutdown
	// ----------------------------------------------------------------------------------------------------------

	/**
	 * First step of an orderly close: the link goes {@code CLOSED} and takes no new requests, its procedures stop,
	 * and the peer is told (a CLOSE frame on both sockets) to send nothing new. Requests in flight either way go on.
	 */
	public void beginClose() {
		synchronized (this) {
			if (this.status.state == LinkState.CLOSED) {
				return;
			}
			moveTo(LinkState.CLOSED, StateChange.because("endpoint stopped")
				.then("finish the requests in flight, then close both sockets"));
		}
		this.recovery.stop();
		this.outbound.send(Frame.close("endpoint '" + this.context.endpointName() + "' is stopping"));
		this.inbound.send(Frame.close("endpoint '" + this.context.endpointName() + "' is stopping"));
	}

	/**
	 * Waits until no request is in flight either way, or until the deadline.
	 * @param deadlineNanos {@link System#nanoTime()} after which to stop waiting
	 * @return whether everything finished
	 * @throws InterruptedException if interrupted while waiting
	 */
	public boolean awaitDrained(long deadlineNanos) throws InterruptedException {
		synchronized (this.drainSignal) {
			while (!isDrained()) {
				long left = deadlineNanos - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				TimeUnit.NANOSECONDS.timedWait(this.drainSignal, left);
			}
			return true;
		}
	}

	private boolean isDrained() {
		return this.outstanding.isEmpty() && this.runningHandlers.get() == 0;
	}

	private void signalIfClosed() {
		if (this.status.state == LinkState.CLOSED) {
			synchronized (this.drainSignal) {
				this.drainSignal.notifyAll();
			}
		}
	}

	/**
	 * Last step of an orderly close: both sockets closed, whatever is still outstanding failed.
	 */
	public void finishClose() {
		Channel out;
		Channel in;
		synchronized (this) {
			out = this.outbound.detach();
			in = this.inbound.detach();
		}
		closeQuietly(out);
		closeQuietly(in);
		this.outstanding.failAll(() -> new LinkDisconnectedException(
				"Link '" + this.id + "' of endpoint '" + this.context.endpointName() + "' was closed"));
	}

	@Override
	public void reconnect() {
		this.recovery.reconnect("reconnect requested");
	}

	private static void closeQuietly(@Nullable Channel channel) {
		if (channel != null) {
			channel.close();
		}
	}

	@Override
	public LinkSnapshot snapshot() {
		Status current = this.status;
		return new LinkSnapshot(this.context.endpointName(), this.id, this.context.role(), current.state,
				current.since, current.cause, this.outbound.snapshot(), this.inbound.snapshot(),
				this.outstanding.size());
	}

	@Override
	public String toString() {
		return "Link[" + this.context.endpointName() + "/" + this.id + " " + this.status.state + "]";
	}

	private record Status(LinkState state, Instant since, String cause, Session session) {
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
		public void stop() {
		}

	}

}
