package dev.dualsocket.transport;

import java.util.function.BooleanSupplier;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.AttributeKey;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Back-pressure on a connection on which the peer sends requests and this side answers (the inbound socket): while
 * the peer does not read what this side writes (more than the high water mark
 * waits to be written), this side stops reading from it, so that a peer which sends requests and never reads their
 * answers cannot pile those answers up here without bound. Reading resumes once the backlog falls below the low water
 * mark. A peer that reads nothing at all is then closed by the heartbeats (section 6.4 of the protocol), never read
 * into memory. Reading stops as well while too many requests read from the connection wait for their answer
 * ({@link #unansweredFull}), so that what was read before the backlog grew is bounded too.
 */
@Sharable
public final class BackPressureHandler extends ChannelInboundHandlerAdapter {

	/** The one instance; it keeps no state. */
	public static final BackPressureHandler INSTANCE = new BackPressureHandler();

	/**
	 * Bytes waiting to be written on a connection: above 256 KiB it stops being read, below 64 KiB it is read again.
	 * The pipelined benchmark's 1,024 requests in flight take about 80 KiB.
	 */
	public static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(64 * 1024, 256 * 1024);

	private static final Log logger = LogFactory.getLog(BackPressureHandler.class);

	private BackPressureHandler() {
	}

	/** Set on a connection while the requests read from it and not yet answered are too many to read more. */
	private static final AttributeKey<Boolean> UNANSWERED_FULL = AttributeKey.valueOf(BackPressureHandler.class,
			"unanswered-full");

	/**
	 * Stops or resumes reading a connection because of what was read from it and is not answered yet: a peer that
	 * sends requests faster than the handlers answer them cannot fill the handler queue with its requests. Reading
	 * resumes only when the write backlog allows it too. May be called from any thread.
	 * @param channel the connection
	 * @param full whether the unanswered requests are at their bound, read when the change is applied on the event
	 * loop, so that changes decided on different threads cannot be applied out of order
	 */
	public static void unansweredFull(Channel channel, BooleanSupplier full) {
		Runnable apply = () -> {
			channel.attr(UNANSWERED_FULL).set(full.getAsBoolean());
			channel.config().setAutoRead(shouldRead(channel));
		};
		if (channel.eventLoop().inEventLoop()) {
			// At once: a read loop in progress stops reading right after the request that filled the bound.
			apply.run();
		}
		else {
			channel.eventLoop().execute(apply);
		}
	}

	private static boolean shouldRead(Channel channel) {
		return channel.isWritable() && !Boolean.TRUE.equals(channel.attr(UNANSWERED_FULL).get());
	}

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
		boolean writable = ctx.channel().isWritable();
		ctx.channel().config().setAutoRead(shouldRead(ctx.channel()));
		if (logger.isDebugEnabled()) {
			logger.debug("Connection " + Connections.describe(ctx.channel()) + (writable
					? ": the peer reads again; reading it again"
					: ": the peer does not read what is written to it; not reading it until it does"));
		}
		super.channelWritabilityChanged(ctx);
	}

}
