package dev.dualsocket.link;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import dev.dualsocket.SocketFailure;
import dev.dualsocket.SocketRole;
import dev.dualsocket.transport.Connections;
import dev.dualsocket.transport.Frame;
import dev.dualsocket.transport.FrameWriter;
import dev.dualsocket.transport.HeartbeatHandler;
import dev.dualsocket.transport.HeartbeatObserver;
import io.netty.channel.Channel;
import org.jspecify.annotations.Nullable;

/**
 * One of the two sockets of a link: the connection attached to it now (if any) with the session it belongs to, its
 * heartbeat, and what has happened to it. The {@link SocketPair} changes the attachment under the link's lock; reads
 * are lock-free,
 * and the attachment is one field, so a reader never sees a connection with another connection's session.
 */
final class LinkSocket {

	private final SocketRole role;

	/** What this side's heartbeats tell the peer of the requests it still awaits; only the outbound socket's do. */
	private final LongSupplier requestLowWatermark;

	private volatile @Nullable Attachment attachment;

	private volatile long roundTripNanos = -1;

	private final AtomicInteger connects = new AtomicInteger();

	private final AtomicInteger failures = new AtomicInteger();

	private volatile @Nullable SocketFailure lastFailure;

	private volatile @Nullable Instant lastFailureAt;

	/** Futures waiting for a connection to be attached; guarded by the link. */
	private final List<CompletableFuture<Boolean>> attachWaiters = new ArrayList<>();

	LinkSocket(SocketRole role, LongSupplier requestLowWatermark) {
		this.role = role;
		this.requestLowWatermark = requestLowWatermark;
	}

	SocketRole role() {
		return this.role;
	}

	@Nullable Channel channel() {
		Attachment current = this.attachment;
		return (current != null) ? current.channel : null;
	}

	boolean isUp() {
		return this.attachment != null;
	}

	/** How many connections were attached to this socket so far; a new one makes a new count. */
	int connects() {
		return this.connects.get();
	}

	/**
	 * What the heartbeat of a connection attached in the given session reports to.
	 */
	HeartbeatObserver heartbeatObserver(Session session) {
		return new SessionHeartbeats(session);
	}

	/**
	 * Attaches a connection in a session; the caller holds the link's lock.
	 * @return the connection attached before, which the caller closes, or {@code null}
	 */
	@Nullable Channel attach(Channel channel, HeartbeatHandler heartbeat, Session session, Instant now) {
		Channel previous = channel();
		this.attachment = new Attachment(channel, new FrameWriter(channel), heartbeat, session, now);
		this.connects.incrementAndGet();
		return previous;
	}

	/**
	 * Detaches the connection if it is the given one; the caller holds the link's lock.
	 * @return whether it was attached
	 */
	boolean detach(Channel channel) {
		if (channel() != channel) {
			return false;
		}
		detach();
		return true;
	}

	/**
	 * Detaches whatever connection is attached; the caller holds the link's lock.
	 * @return the connection that was attached, or {@code null}
	 */
	@Nullable Channel detach() {
		Channel previous = channel();
		this.attachment = null;
		return previous;
	}

	void recordFailure(SocketFailure failure, Instant now) {
		this.failures.incrementAndGet();
		this.lastFailure = failure;
		this.lastFailureAt = now;
	}

	List<CompletableFuture<Boolean>> attachWaiters() {
		return this.attachWaiters;
	}

	/**
	 * Sends a {@code CLOSE} on the attached connection, if any: to a peer that understands quiesce (section 6.5 of the
	 * protocol) its id names the last of the peer's requests still served, as a {@code QUIESCE} would; 0 otherwise.
	 * @param reason why
	 * @param lastServed the last request id of the peer still served
	 */
	void sendClose(String reason, long lastServed) {
		Attachment current = this.attachment;
		if (current != null) {
			current.writer.write(Frame.close(Connections.peerUnderstandsQuiesce(current.channel) ? lastServed : 0, reason));
		}
	}

	/**
	 * Sends a {@code QUIESCE} or {@code RESUME} on the attached connection, if its peer said in its handshake that it
	 * understands them (section 6.5 of the protocol); a peer that does not sees only the {@code BUSY} answers.
	 * @param frame the frame
	 */
	void sendIfPeerQuiesces(Frame frame) {
		Attachment current = this.attachment;
		if (current != null && Connections.peerUnderstandsQuiesce(current.channel)) {
			current.writer.write(frame);
		}
	}

	/**
	 * Sends a frame that belongs to a session (a request, a response) on the attached connection, if that connection
	 * is one of the session's.
	 * @param frame the frame
	 * @param session the session it belongs to
	 * @return {@code false} if no connection of that session is attached; the frame is dropped
	 */
	boolean send(Frame frame, Session session) {
		Attachment current = this.attachment;
		if (current == null || current.session != session) {
			return false;
		}
		// Header fields are version 2's (section 2.1): a version-1 peer gets the payload alone.
		current.writer.write((frame.fields().isEmpty() || Connections.carriesHeaderFields(current.channel)) ? frame
				: new Frame(frame.type(), frame.id(), frame.payload()));
		return true;
	}

	/**
	 * Sends a heartbeat and waits for its answer (blocks 520 and 720 of Figs. 5 and 7).
	 * @param timeout how long to wait
	 * @return {@code true} if it was answered in time; {@code false} if not, or if no connection is attached
	 */
	CompletableFuture<Boolean> probe(Duration timeout) {
		return roundTrip(timeout).handle((rtt, failure) -> failure == null);
	}

	/**
	 * Sends a heartbeat and reports how it went, for a diagnosis that must tell an unanswered heartbeat from a socket
	 * that is gone.
	 * @param timeout how long to wait
	 * @return the round trip; a {@link java.util.concurrent.TimeoutException} if it was not answered in time; an
	 * {@link IllegalStateException} if no connection is attached, or it closed first
	 */
	CompletableFuture<Duration> roundTrip(Duration timeout) {
		Attachment current = this.attachment;
		if (current == null) {
			return CompletableFuture.failedFuture(new IllegalStateException("no connection attached"));
		}
		return current.heartbeat.probe(current.channel, timeout);
	}

	SocketSnapshot snapshot() {
		Attachment current = this.attachment;
		Channel channel = (current != null) ? current.channel : null;
		long rtt = this.roundTripNanos;
		return new SocketSnapshot(this.role, channel != null,
				(channel != null) ? String.valueOf(channel.localAddress()) : null,
				(channel != null) ? String.valueOf(channel.remoteAddress()) : null,
				(current != null) ? current.since : null, this.connects.get(), this.failures.get(), this.lastFailure,
				this.lastFailureAt, (rtt >= 0) ? Duration.ofNanos(rtt) : null);
	}

	private record Attachment(Channel channel, FrameWriter writer, HeartbeatHandler heartbeat, Session session,
			Instant since) {
	}

	/**
	 * The heartbeats of one connection: the watermarks they carry concern the session the connection was attached in,
	 * never a later one.
	 */
	private final class SessionHeartbeats implements HeartbeatObserver {

		private final Session session;

		SessionHeartbeats(Session session) {
			this.session = session;
		}

		@Override
		public void onRoundTrip(long nanos) {
			LinkSocket.this.roundTripNanos = nanos;
		}

		@Override
		public long requestLowWatermark() {
			return (LinkSocket.this.role == SocketRole.OUTBOUND) ? LinkSocket.this.requestLowWatermark.getAsLong() : 0;
		}

		@Override
		public void onPeerRequestLowWatermark(long watermark) {
			if (LinkSocket.this.role == SocketRole.INBOUND) {
				this.session.served().forgetBelow(watermark);
			}
		}

	}

}
