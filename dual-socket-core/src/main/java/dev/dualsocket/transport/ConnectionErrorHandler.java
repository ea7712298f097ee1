package dev.dualsocket.transport;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.FailureCause;
import dev.dualsocket.SocketFailure;
import dev.dualsocket.support.RateLimitedLog;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Last handler of every pipeline: closes a connection on which anything went wrong, after recording why. A protocol
 * violation is logged at WARN with the peer and the reason (at most once per 10 s, with a count of the rest), and
 * reported; an I/O error is an expected network fault and is logged at DEBUG without a stack trace, since the link
 * reports the socket failure itself.
 */
@Sharable
public final class ConnectionErrorHandler extends ChannelInboundHandlerAdapter {

	/** The name of this handler in every pipeline; link handlers are added before it. */
	public static final String NAME = "errors";

	private static final Log logger = LogFactory.getLog(ConnectionErrorHandler.class);

	private final String endpoint;

	private final ProtocolErrorReporter reporter;

	/** A peer can break the protocol as often as it connects: at most one line per 10 s, with a count of the rest. */
	private final RateLimitedLog violations = new RateLimitedLog(logger, 10, TimeUnit.SECONDS);

	public ConnectionErrorHandler(String endpoint, ProtocolErrorReporter reporter) {
		this.endpoint = endpoint;
		this.reporter = reporter;
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		Channel channel = ctx.channel();
		if (cause instanceof DecoderException) {
			ProtocolViolationException violation = violationOf(cause);
			String reason = String.valueOf(((violation != null) ? violation : deepestCauseOf(cause)).getMessage());
			if (Connections.recordedFailureOf(channel) == null && channel.isOpen()) {
				this.violations.warn(() -> "Endpoint '" + this.endpoint + "': closing connection "
						+ Connections.describe(channel) + ": " + reason + ". Other connections are not affected.", null);
				this.reporter.protocolError(channel, reason, (violation != null) ? violation.limit() : null);
			}
			Connections.fail(channel, new SocketFailure(FailureCause.PROTOCOL_ERROR, reason));
		}
		else if (cause instanceof IOException) {
			if (logger.isDebugEnabled()) {
				logger.debug("Endpoint '" + this.endpoint + "': I/O error on connection " + Connections.describe(channel)
						+ ": " + cause);
			}
			Connections.fail(channel, new SocketFailure(FailureCause.IO_ERROR, Connections.describeError(cause)));
		}
		else {
			this.violations.warn(() -> "Endpoint '" + this.endpoint + "': unexpected error on connection "
					+ Connections.describe(channel) + "; closing it", cause);
			Connections.fail(channel, new SocketFailure(FailureCause.IO_ERROR, String.valueOf(cause)));
		}
	}

	/** The violation in a decoder's exception, which Netty may have wrapped. */
	private static @Nullable ProtocolViolationException violationOf(Throwable cause) {
		for (Throwable next = cause; next != null; next = next.getCause()) {
			if (next instanceof ProtocolViolationException violation) {
				return violation;
			}
		}
		return null;
	}

	/** What says most about a decoder's exception that is no violation of ours (TLS, for one). */
	private static Throwable deepestCauseOf(Throwable cause) {
		Throwable deepest = cause;
		while (deepest.getCause() != null) {
			deepest = deepest.getCause();
		}
		return deepest;
	}

}
