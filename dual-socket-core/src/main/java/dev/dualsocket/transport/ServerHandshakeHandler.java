package dev.dualsocket.transport;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Takes the first frame of an accepted connection, which must be a {@link Hello} in a version this server speaks,
 * and asks the endpoint what to do with it. A connection that sends anything else, or nothing within the handshake
 * timeout, is closed as a protocol violation.
 */
public final class ServerHandshakeHandler extends ChannelInboundHandlerAdapter {

	private static final Log logger = LogFactory.getLog(ServerHandshakeHandler.class);

	private final Acceptor acceptor;

	private final Duration timeout;

	private final FrameDecoder frames;

	private final Runnable done;

	private boolean finished;

	private @Nullable ScheduledFuture<?> expiry;

	/**
	 * @param acceptor decides what to do with the handshake
	 * @param timeout how long a connection may take to send its HELLO
	 * @param frames the connection's decoder, which reads no frame longer than a HELLO until the handshake completes
	 * @param done called once when the connection is no longer waiting for its HELLO: its first frame arrived, or it
	 * closed first
	 */
	public ServerHandshakeHandler(Acceptor acceptor, Duration timeout, FrameDecoder frames, Runnable done) {
		this.acceptor = acceptor;
		this.timeout = timeout;
		this.frames = frames;
		this.done = done;
		frames.limitUntilHandshake(Hello.MAX_HELLO_LENGTH);
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		this.expiry = ctx.executor().schedule(() -> ctx.fireExceptionCaught(new ProtocolViolationException(
				"no HELLO within " + this.timeout.toMillis() + " ms of connecting")), this.timeout.toNanos(),
				TimeUnit.NANOSECONDS);
		super.channelActive(ctx);
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		cancelExpiry();
		finish();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		cancelExpiry();
		super.channelInactive(ctx);
	}

	/** The connection is no longer waiting for its HELLO: it sent one, or it is gone. */
	private void finish() {
		if (!this.finished) {
			this.finished = true;
			this.done.run();
		}
	}

	private void cancelExpiry() {
		if (this.expiry != null) {
			this.expiry.cancel(false);
		}
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		Frame frame = (Frame) msg;
		finish();
		if (frame.type() != FrameType.HELLO) {
			throw new ProtocolViolationException("expected HELLO as the first frame, got " + frame.type());
		}
		Hello hello;
		try {
			int version = Hello.versionOf(frame);
			if (version != Protocol.VERSION) {
				rejectAndClose(ctx, HelloReject.Reason.UNSUPPORTED_VERSION,
						"unsupported protocol version " + version + " (this server speaks " + Protocol.VERSION + ")");
				return;
			}
			hello = Hello.fromFrame(frame);
		}
		catch (ProtocolViolationException ex) {
			rejectAndClose(ctx, HelloReject.Reason.MALFORMED_HELLO, ex.getMessage());
			return;
		}
		HandshakeDecision decision = this.acceptor.accept(hello, ctx.channel());
		HelloReject rejection = decision.rejection();
		if (rejection != null) {
			logger.info("Refused connection " + Connections.describe(ctx.channel()) + " for link '" + hello.linkId()
					+ "': " + rejection.message());
			ctx.writeAndFlush(rejection.toFrame()).addListener((future) -> ctx.close());
			ctx.pipeline().remove(this);
			return;
		}
		this.frames.handshakeCompleted();
		ctx.writeAndFlush(new HelloAccept(Protocol.VERSION, decision.token()).toFrame());
		ctx.pipeline().remove(this);
		Runnable attach = decision.attach();
		if (attach != null) {
			try {
				attach.run();
			}
			catch (RuntimeException ex) {
				// The link changed state between the decision and now (given up, closed); the client tries again.
				logger.info("Closing connection " + Connections.describe(ctx.channel()) + " for link '" + hello.linkId()
						+ "': " + ex.getMessage());
				ctx.close();
			}
		}
	}

	/**
	 * Tells the client why its HELLO is refused, then closes the connection as a protocol violation (logged and
	 * reported like any other).
	 */
	private void rejectAndClose(ChannelHandlerContext ctx, HelloReject.Reason reason, String why) {
		cancelExpiry();
		ctx.writeAndFlush(new HelloReject(reason, why).toFrame())
			.addListener((future) -> ctx.fireExceptionCaught(new ProtocolViolationException(why)));
		ctx.pipeline().remove(this);
	}

	/**
	 * Decides what to do with a client's handshake.
	 */
	@FunctionalInterface
	public interface Acceptor {

		/**
		 * Called on the connection's event loop with the client's handshake.
		 * @param hello the handshake
		 * @param channel the connection
		 * @return what to do
		 */
		HandshakeDecision accept(Hello hello, Channel channel);

	}

}
