package dev.dualsocket.transport;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.dualsocket.FailureCause;
import dev.dualsocket.Limit;
import dev.dualsocket.SocketFailure;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * Watches one socket on its own: sends a heartbeat carrying a fresh nonce every interval, answers the peer's
 * heartbeats by echoing their nonce, and closes the socket as failed when either nothing at all has arrived for the
 * heartbeat timeout ({@link FailureCause#SILENCE}, a black-holed connection) or a heartbeat has gone unanswered for
 * that long ({@link FailureCause#HEARTBEAT_TIMEOUT}). The deadline is re-armed for the exact instant it would fall,
 * so a failure is seen within the timeout of the last traffic, not a whole interval later.
 *
 * <p>All state is touched on the channel's event loop only.
 */
public final class HeartbeatHandler extends ChannelDuplexHandler {

	private final long intervalNanos;

	private final long timeoutNanos;

	private final HeartbeatObserver observer;

	private final Map<Long, Probe> probes = new HashMap<>();

	/** Start of the second in which the peer's heartbeats are being counted. */
	private long floodWindowStart = System.nanoTime();

	private int heartbeatsInWindow;

	private @Nullable ChannelHandlerContext ctx;

	private long lastReadNanos;

	private boolean reading;

	private boolean pingOutstanding;

	private long pingNonce;

	private long pingSentNanos;

	private @Nullable ScheduledFuture<?> pingTask;

	private @Nullable ScheduledFuture<?> deadlineTask;

	/** Most heartbeats a peer may send on one connection within one second (section 5 of the protocol). */
	public static final int MAX_HEARTBEATS_PER_SECOND = 50;

	public HeartbeatHandler(Duration interval, Duration timeout, HeartbeatObserver observer) {
		this.intervalNanos = interval.toNanos();
		this.timeoutNanos = timeout.toNanos();
		this.observer = observer;
	}

	/**
	 * Sends a heartbeat now and completes with its round trip when it is answered, or with a
	 * {@link TimeoutException} when it is not answered within {@code timeout}. May be called from any thread.
	 * @param channel the connection this handler watches
	 * @param timeout how long to wait for the answer
	 * @return the round trip
	 */
	public CompletableFuture<Duration> probe(Channel channel, Duration timeout) {
		CompletableFuture<Duration> result = new CompletableFuture<>();
		channel.eventLoop().execute(() -> startProbe(result, timeout));
		return result;
	}

	private void startProbe(CompletableFuture<Duration> result, Duration timeout) {
		ChannelHandlerContext context = this.ctx;
		if (context == null || !context.channel().isActive()) {
			result.completeExceptionally(new IllegalStateException("socket is closed"));
			return;
		}
		long nonce = newNonce();
		ScheduledFuture<?> expiry = context.executor().schedule(() -> {
			Probe probe = this.probes.remove(nonce);
			if (probe != null) {
				probe.result.completeExceptionally(
						new TimeoutException("no answer to probe within " + timeout.toMillis() + " ms"));
			}
		}, timeout.toNanos(), TimeUnit.NANOSECONDS);
		this.probes.put(nonce, new Probe(result, System.nanoTime(), expiry));
		sendHeartbeat(context, nonce);
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.ctx = ctx;
		if (ctx.channel().isActive()) {
			start(ctx);
		}
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		start(ctx);
		super.channelActive(ctx);
	}

	private void start(ChannelHandlerContext ctx) {
		if (this.pingTask != null) {
			return;
		}
		this.lastReadNanos = System.nanoTime();
		this.pingTask = ctx.executor()
			.scheduleAtFixedRate(this::ping, this.intervalNanos, this.intervalNanos, TimeUnit.NANOSECONDS);
		armDeadline(ctx, this.timeoutNanos);
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		stop();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		stop();
		super.channelInactive(ctx);
	}

	private void stop() {
		if (this.pingTask != null) {
			this.pingTask.cancel(false);
		}
		if (this.deadlineTask != null) {
			this.deadlineTask.cancel(false);
		}
		this.probes.values().forEach((probe) -> {
			probe.expiry.cancel(false);
			probe.result.completeExceptionally(new IllegalStateException("socket closed during probe"));
		});
		this.probes.clear();
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		this.reading = true;
		if (msg instanceof Frame frame) {
			if (frame.type() == FrameType.HEARTBEAT) {
				int length = frame.payload().length;
				if (length != 0 && length != 8) {
					throw new ProtocolViolationException(
							"HEARTBEAT payload must be empty or 8 bytes, was " + length + " bytes");
				}
				countAgainstFlood();
				ctx.writeAndFlush(Frame.heartbeatAck(frame.id()))
					.addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
				long watermark = watermarkOf(frame);
				if (watermark > 0) {
					this.observer.onPeerRequestLowWatermark(watermark);
				}
				return;
			}
			if (frame.type() == FrameType.HEARTBEAT_ACK) {
				if (frame.payload().length != 0) {
					throw new ProtocolViolationException(
							"HEARTBEAT_ACK payload must be empty, was " + frame.payload().length + " bytes");
				}
				onAnswer(frame.id());
				return;
			}
		}
		ctx.fireChannelRead(msg);
	}

	/** Section 5 of the protocol: at most {@value #MAX_HEARTBEATS_PER_SECOND} heartbeats a second from the peer. */
	private void countAgainstFlood() {
		long now = System.nanoTime();
		if (now - this.floodWindowStart > TimeUnit.SECONDS.toNanos(1)) {
			this.floodWindowStart = now;
			this.heartbeatsInWindow = 0;
		}
		if (++this.heartbeatsInWindow > MAX_HEARTBEATS_PER_SECOND) {
			throw new ProtocolViolationException("too many heartbeats: more than " + MAX_HEARTBEATS_PER_SECOND
					+ " within one second (protocol section 5)", Limit.HEARTBEAT_RATE);
		}
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		this.lastReadNanos = System.nanoTime();
		this.reading = false;
		ctx.fireChannelReadComplete();
	}

	private void onAnswer(long nonce) {
		long now = System.nanoTime();
		if (this.pingOutstanding && nonce == this.pingNonce) {
			this.pingOutstanding = false;
			this.observer.onRoundTrip(now - this.pingSentNanos);
			return;
		}
		Probe probe = this.probes.remove(nonce);
		if (probe != null) {
			probe.expiry.cancel(false);
			long rtt = now - probe.sentNanos;
			this.observer.onRoundTrip(rtt);
			probe.result.complete(Duration.ofNanos(rtt));
		}
		// An answer that echoes no nonce of ours proves nothing and is ignored.
	}

	private void ping() {
		ChannelHandlerContext context = this.ctx;
		if (context == null || this.pingOutstanding) {
			return;
		}
		this.pingNonce = newNonce();
		this.pingSentNanos = System.nanoTime();
		this.pingOutstanding = true;
		sendHeartbeat(context, this.pingNonce);
	}

	private void sendHeartbeat(ChannelHandlerContext context, long nonce) {
		long watermark = this.observer.requestLowWatermark();
		byte[] payload = Unpooled.copyLong(watermark).array();
		context.writeAndFlush(Frame.heartbeat(nonce, payload))
			.addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
	}

	private void armDeadline(ChannelHandlerContext context, long delayNanos) {
		this.deadlineTask = context.executor().schedule(this::checkDeadline, delayNanos, TimeUnit.NANOSECONDS);
	}

	private void checkDeadline() {
		ChannelHandlerContext context = this.ctx;
		if (context == null || !context.channel().isActive()) {
			return;
		}
		long now = System.nanoTime();
		long silentFor = this.reading ? 0 : now - this.lastReadNanos;
		if (silentFor >= this.timeoutNanos) {
			fail(context, FailureCause.SILENCE, "nothing received for " + millis(silentFor) + " ms");
			return;
		}
		long unansweredFor = this.pingOutstanding ? now - this.pingSentNanos : 0;
		if (unansweredFor >= this.timeoutNanos) {
			fail(context, FailureCause.HEARTBEAT_TIMEOUT, "no answer to heartbeat for " + millis(unansweredFor) + " ms");
			return;
		}
		long next = this.timeoutNanos - Math.max(silentFor, unansweredFor);
		armDeadline(context, Math.max(next, TimeUnit.MILLISECONDS.toNanos(1)));
	}

	private void fail(ChannelHandlerContext context, FailureCause cause, String detail) {
		Connections.fail(context.channel(), new SocketFailure(cause, detail));
	}

	private static long watermarkOf(Frame heartbeat) {
		byte[] payload = heartbeat.payload();
		return (payload.length == 8) ? Unpooled.wrappedBuffer(payload).getLong(0) : 0;
	}

	private static long newNonce() {
		return ThreadLocalRandom.current().nextLong();
	}

	private static long millis(long nanos) {
		return TimeUnit.NANOSECONDS.toMillis(nanos);
	}

	private record Probe(CompletableFuture<Duration> result, long sentNanos, ScheduledFuture<?> expiry) {
	}

}
