package dev.dualsocket.link;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

import dev.dualsocket.EndpointRole;
import dev.dualsocket.FailureCause;
import dev.dualsocket.LinkDisconnectedException;
import dev.dualsocket.SocketFailure;
import dev.dualsocket.SocketRole;
import dev.dualsocket.event.DualSocketEvent;
import dev.dualsocket.event.SocketConnectedEvent;
import dev.dualsocket.event.SocketFailedEvent;
import dev.dualsocket.link.LinkStateMachine.Status;
import dev.dualsocket.transport.BackPressureHandler;
import dev.dualsocket.transport.ConnectionErrorHandler;
import dev.dualsocket.transport.Connections;
import dev.dualsocket.transport.Frame;
import dev.dualsocket.transport.HeartbeatHandler;
import dev.dualsocket.transport.ProtocolViolationException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.util.Timeout;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The two sockets of a link, outbound (this side sends requests) and inbound (the peer does): attaching a connection
 * in the link's session, noticing that one closed, closing one on purpose, probing one, and waiting for one to be
 * attached again. What is attached changes under the link's lock (the {@link LinkStateMachine}'s monitor), so that
 * the state and the sockets are always seen together.
 */
final class SocketPair {

	private static final Log logger = LogFactory.getLog(Link.class);

	private final LinkContext context;

	private final String linkId;

	private final String logPrefix;

	private final LinkStateMachine states;

	private final Consumer<DualSocketEvent> publisher;

	private final LinkSocket outbound;

	private final LinkSocket inbound;

	/**
	 * @param context the endpoint's shared context
	 * @param linkId the link's id
	 * @param states the link's state, whose monitor is the link's lock
	 * @param publisher enqueues an event of the link
	 * @param requestLowWatermark the lowest id of the requests this side still awaits, for the outbound heartbeats
	 */
	SocketPair(LinkContext context, String linkId, LinkStateMachine states, Consumer<DualSocketEvent> publisher,
			LongSupplier requestLowWatermark) {
		this.context = context;
		this.linkId = linkId;
		this.logPrefix = context.logPrefix(linkId);
		this.states = states;
		this.publisher = publisher;
		this.outbound = new LinkSocket(SocketRole.OUTBOUND, requestLowWatermark);
		this.inbound = new LinkSocket(SocketRole.INBOUND, () -> 0);
	}

	LinkSocket outbound() {
		return this.outbound;
	}

	LinkSocket inbound() {
		return this.inbound;
	}

	LinkSocket socket(SocketRole role) {
		return (role == SocketRole.OUTBOUND) ? this.outbound : this.inbound;
	}

	boolean isUp(SocketRole role) {
		return socket(role).isUp();
	}

	boolean bothUp() {
		return this.outbound.isUp() && this.inbound.isUp();
	}

	/**
	 * Attaches a connection whose handshake succeeded to one of the sockets, replacing (and closing) any connection
	 * attached before.
	 * @param linkHandler makes the handler that hands the connection's frames to the link, for the session
	 * @return the session it was attached in, and whether the link was established in it
	 * @throws LinkDisconnectedException if the link is disconnected or closed, or no longer in that session
	 * @throws ProtocolViolationException if the server accepted the connection without the session's token
	 * @throws UncheckedIOException if the network interface carrying the connection is down
	 */
	Attached attach(SocketRole role, Channel channel, long sessionId, byte[] token,
			Function<Session, ChannelHandler> linkHandler) {
		LinkSocket socket = socket(role);
		List<CompletableFuture<Boolean>> waiters;
		Channel previous;
		Status status;
		synchronized (this.states) {
			status = this.states.status();
			if (!status.state().acceptsRequests() || !channel.isActive()) {
				throw new LinkDisconnectedException("Link '" + this.linkId + "' is " + status.state() + "; the new "
						+ role.label() + " connection is closed");
			}
			Session session = status.session();
			if (session.id() != sessionId) {
				throw new LinkDisconnectedException("Link '" + this.linkId + "' is no longer in the session the new "
						+ role.label() + " connection was opened for; the connection is closed");
			}
			if (!session.adoptToken(token)) {
				// Not the session's token, or none at all: the peer breaks section 4.2 of the protocol.
				throw new ProtocolViolationException("the " + role.label()
						+ " connection was accepted without the session's token");
			}
			if (this.context.role() == EndpointRole.CLIENT && Connections.serverKeepsAnswers(channel)) {
				session.markKeepsAnswers();
			}
			String interfaceDown = this.context.transport().interfaceMonitor().watch(channel);
			if (interfaceDown != null) {
				throw new UncheckedIOException(interfaceDown, new IOException(interfaceDown));
			}
			Connections.label(channel, this.linkId, role);
			Connections.usePeerRequestIds(channel, session.peerRequestIds());
			LinkSettings settings = this.context.settings();
			HeartbeatHandler heartbeat = new HeartbeatHandler(settings.heartbeatInterval(),
					settings.heartbeatTimeout(), socket.heartbeatObserver(session));
			channel.pipeline().addBefore(ConnectionErrorHandler.NAME, "heartbeat", heartbeat);
			channel.pipeline().addBefore(ConnectionErrorHandler.NAME, "link", linkHandler.apply(session));
			if (role == SocketRole.INBOUND) {
				// Only where the peer sends requests and this side answers: a peer that does not read its answers stops
				// being read. The outbound socket is always read, since reading its responses is what lets the peer
				// go on; pausing both directions could leave two sides each waiting for the other to read.
				channel.pipeline().addBefore(ConnectionErrorHandler.NAME, "back-pressure", BackPressureHandler.INSTANCE);
			}
			previous = socket.attach(channel, heartbeat, session, this.context.now());
			waiters = takeWaiters(socket);
			if (logger.isDebugEnabled()) {
				logger.debug(this.logPrefix + role.label() + " socket connected " + channel.localAddress() + " -> "
						+ channel.remoteAddress());
			}
			this.publisher.accept(new SocketConnectedEvent(this.context.endpointName(), this.linkId, role,
					channel.localAddress(), channel.remoteAddress(), this.context.now()));
		}
		if (previous != null && previous != channel) {
			// Replaced before its failure was seen here; it is no longer this socket, so its close reports nothing.
			previous.close();
		}
		return new Attached(status.session(), status.isEstablished(), waiters);
	}

	/**
	 * Detaches a connection that closed, if it was attached: the socket has failed, unless the peer said it is
	 * shutting down. A failure is recorded, logged and published.
	 * @return the link's status when it was detached, or {@code null} if the connection was not attached
	 */
	@Nullable Status detachClosed(SocketRole role, Channel channel) {
		SocketFailure failure = Connections.failureOf(channel);
		LinkSocket socket = socket(role);
		synchronized (this.states) {
			if (!socket.detach(channel)) {
				return null;
			}
			Status status = this.states.status();
			if (!status.peerClosing()) {
				socket.recordFailure(failure, this.context.now());
				String line = this.states.lines()
					.admit(() -> this.logPrefix + role.label() + " socket failed (" + failure + ")");
				if (line != null) {
					logger.info(line);
				}
				this.publisher.accept(new SocketFailedEvent(this.context.endpointName(), this.linkId, role, failure,
						this.context.now()));
			}
			return status;
		}
	}

	/**
	 * Detaches and closes a socket's connection, if any and if the link is still in the given session; the close
	 * reports no failure.
	 */
	void close(long session, SocketRole role) {
		Channel channel;
		synchronized (this.states) {
			if (this.states.session().id() != session) {
				return;
			}
			channel = socket(role).detach();
		}
		closeQuietly(channel);
	}

	/**
	 * Detaches both connections; the caller holds the link's lock and closes them once it no longer does.
	 * @return the connections that were attached
	 */
	List<Channel> detachBoth() {
		List<Channel> detached = new ArrayList<>(2);
		for (LinkSocket socket : List.of(this.outbound, this.inbound)) {
			Channel channel = socket.detach();
			if (channel != null) {
				detached.add(channel);
			}
		}
		return detached;
	}

	/**
	 * Drops a socket's connection abruptly, as a network fault would.
	 * @return {@code false} if that socket had no connection
	 */
	boolean drop(SocketRole role) {
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
		synchronized (this.states) {
			if (socket.isUp()) {
				return CompletableFuture.completedFuture(true);
			}
			socket.attachWaiters().add(attached);
		}
		Timeout expiry = this.context.transport().timer().newTimeout((expired) -> {
			synchronized (this.states) {
				socket.attachWaiters().remove(attached);
			}
			attached.complete(false);
		}, timeout.toNanos(), TimeUnit.NANOSECONDS);
		attached.thenRun(expiry::cancel);
		return attached;
	}

	/** A procedure still waiting for a socket to come back has nothing left to wait for. */
	void cancelAttachWaiters() {
		List<CompletableFuture<Boolean>> waiters = new ArrayList<>();
		synchronized (this.states) {
			waiters.addAll(takeWaiters(this.outbound));
			waiters.addAll(takeWaiters(this.inbound));
		}
		waiters.forEach((waiter) -> waiter.complete(false));
	}

	private static List<CompletableFuture<Boolean>> takeWaiters(LinkSocket socket) {
		List<CompletableFuture<Boolean>> waiters = new ArrayList<>(socket.attachWaiters());
		socket.attachWaiters().clear();
		return waiters;
	}

	/** Sends a {@code QUIESCE} or {@code RESUME} on both sockets, where the peer understands them. */
	void sendQuiesceFrameOnBoth(Frame frame) {
		this.outbound.sendIfPeerQuiesces(frame);
		this.inbound.sendIfPeerQuiesces(frame);
	}

	/**
	 * Sends {@code CLOSE} on both sockets (section 7 of the protocol).
	 * @param reason why
	 * @param lastServed the last of the peer's requests still served, for a peer that understands quiesce
	 */
	void sendCloseOnBoth(String reason, long lastServed) {
		this.outbound.sendClose(reason, lastServed);
		this.inbound.sendClose(reason, lastServed);
	}

	static void closeQuietly(@Nullable Channel channel) {
		if (channel != null) {
			channel.close();
		}
	}

	/**
	 * A connection just attached.
	 *
	 * @param session the session it was attached in
	 * @param established whether the link was established in that session already (a re-connect, not an
	 * establishment)
	 * @param waiters the procedures waiting for it, to be told once the caller has done its part
	 */
	record Attached(Session session, boolean established, List<CompletableFuture<Boolean>> waiters) {

		void wakeWaiters() {
			this.waiters.forEach((waiter) -> waiter.complete(true));
		}

	}

}
