package dev.dualsocket.link;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import dev.dualsocket.SocketFailure;
import dev.dualsocket.SocketRole;
import dev.dualsocket.transport.Frame;
import dev.dualsocket.transport.FrameWriter;
import dev.dualsocket.transport.HeartbeatHandler;
import dev.dualsocket.transport.HeartbeatObserver;
import io.netty.channel.Channel;
import org.jspecify.annotations.Nullable;

/**
 * One of the two sockets of a link: the connection attached to it now (if any), its heartbeat, and what has happened
 * to it. The link changes the attached connection under its own lock; reads are lock-free.
 */
final class LinkSocket implements HeartbeatObserver {

	private final Link link;

	private final SocketRole role;

	private volatile @Nullable Channel channel;

	private volatile @Nullable HeartbeatHandler heartbeat;

	private volatile @Nullable FrameWriter writer;

	private volatile @Nullable Instant connectedSince;

	private volatile long roundTripNanos = -1;

	private final AtomicInteger connects = new AtomicInteger();

	private final AtomicInteger failures = new AtomicInteger();

	private volatile @Nullable SocketFailure lastFailure;

	private volatile @Nullable Instant lastFailureAt;

	/** Futures waiting for a connection to be attached; guarded by the link. */
	private final List<CompletableFuture<Boolean>> attachWaiters = new ArrayList<>();

	LinkSocket(Link link, SocketRole role) {
		this.link = link;
		this.role = role;
	}

	SocketRole role() {
		return this.role;
	}

	@Nullable Channel channel() {
		return this.channel;
	}

	boolean isUp() {
		return this.channel != null;
	}

	/**
	 * Attaches a connection; the caller holds the link's lock.
	 * @return the connection attached before, which the caller closes, or {@code null}
	 */
	@Nullable Channel attach(Channel channel, HeartbeatHandler heartbeat, Instant now) {
		Channel previous = this.channel;
		this.writer = new FrameWriter(channel);
		this.channel = channel;
		this.heartbeat = heartbeat;
		this.connectedSince = now;
		this.connects.incrementAndGet();
		return previous;
	}

	/**
	 * Detaches the connection if it is the given one; the caller holds the link's lock.
	 * @return whether it was attached
	 */
	boolean detach(Channel channel) {
		if (this.channel != channel) {
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
		Channel previous = this.channel;
		this.channel = null;
		this.writer = null;
		this.heartbeat = null;
		this.connectedSince = null;
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
	 * Sends a frame on the attached connection.
	 * @param frame the frame
	 * @return {@code false} if no connection is attached
	 */
	boolean send(Frame frame) {
		FrameWriter current = this.writer;
		if (current == null) {
			return false;
		}
		current.write(frame);
		return true;
	}

	/**
	 * Sends a heartbeat and waits for its answer (blocks 520 and 720 of Figs. 5 and 7).
	 * @param timeout how long to wait
	 * @return {@code true} if it was answered in time; {@code false} if not, or if no connection is attached
	 */
	CompletableFuture<Boolean> probe(Duration timeout) {
		Channel current = this.channel;
		HeartbeatHandler handler = this.heartbeat;
		if (current == null || handler == null) {
			return CompletableFuture.completedFuture(false);
		}
		return handler.probe(current, timeout).handle((rtt, failure) -> failure == null);
	}

	@Override
	public void onRoundTrip(long nanos) {
		this.roundTripNanos = nanos;
	}

	@Override
	public long requestLowWatermark() {
		return (this.role == SocketRole.OUTBOUND) ? this.link.requestLowWatermark() : 0;
	}

	@Override
	public void onPeerRequestLowWatermark(long watermark) {
		if (this.role == SocketRole.INBOUND) {
			this.link.forgetServedBelow(watermark);
		}
	}

	SocketSnapshot snapshot() {
		Channel current = this.channel;
		long rtt = this.roundTripNanos;
		return new SocketSnapshot(this.role, current != null,
				(current != null) ? String.valueOf(current.localAddress()) : null,
				(current != null) ? String.valueOf(current.remoteAddress()) : null, this.connectedSince,
				this.connects.get(), this.failures.get(), this.lastFailure, this.lastFailureAt,
				(rtt >= 0) ? Duration.ofNanos(rtt) : null);
	}

}
