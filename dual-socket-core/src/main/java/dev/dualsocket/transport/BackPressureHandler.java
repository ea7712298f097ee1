package dev.dualsocket.transport;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Back-pressure on a connection on which the peer sends requests and this side answers (the inbound socket): while
 * the peer does not read what this side writes (more than the high water mark
 * waits to be written), this side stops reading from it, so that a peer which sends requests and never reads their
 * answers cannot pile those answers up here without bound. Reading resumes once the backlog falls below the low water
 * mark. A peer that reads nothing at all is then closed by the heartbeats (section 6.4 of the protocol), never read
 * into memory.
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

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
		boolean writable = ctx.channel().isWritable();
		ctx.channel().config().setAutoRead(writable);
		if (logger.isDebugEnabled()) {
			logger.debug("Connection " + Connections.describe(ctx.channel()) + (writable
					? ": the peer reads again; reading it again"
					: ": the peer does not read what is written to it; not reading it until it does"));
		}
		super.channelWritabilityChanged(ctx);
	}

}
