package dev.dualsocket.iso8583;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.protocol.ClientHandshake;
import dev.dualsocket.protocol.JoinRequest;
import dev.dualsocket.protocol.ServerHandshake;
import dev.dualsocket.support.RateLimitedLog;
import dev.dualsocket.transport.ChannelKind;
import dev.dualsocket.transport.Connections;
import dev.dualsocket.transport.HandshakeDecision;
import dev.dualsocket.transport.HelloReject;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The handshake of a protocol that has none: a connection belongs to its socket as soon as it is up. A client's is
 * attached at once; a server's goes to the socket its port names, of the endpoint's one link.
 */
final class NoHandshake {

	private static final Log logger = LogFactory.getLog(NoHandshake.class);

	/** A stranger can be refused as often as it connects: one line per 10 s, with a count of the rest. */
	private static final RateLimitedLog refusals = new RateLimitedLog(logger, 10, TimeUnit.SECONDS);

	private NoHandshake() {
	}

	/**
	 * The client's side: attaches the connection when it becomes active.
	 */
	static final class Client extends ChannelInboundHandlerAdapter {

		private final ClientHandshake handshake;

		Client(ClientHandshake handshake) {
			this.handshake = handshake;
		}

		@Override
		public void handlerAdded(ChannelHandlerContext ctx) {
			if (ctx.channel().isActive()) {
				// Not from here: the pipeline is still being built, and attaching adds handlers before its last one.
				ctx.executor().execute(() -> accept(ctx));
			}
		}

		@Override
		public void channelActive(ChannelHandlerContext ctx) {
			accept(ctx);
			ctx.fireChannelActive();
		}

		private void accept(ChannelHandlerContext ctx) {
			if (ctx.isRemoved() || !ctx.channel().isActive()) {
				return;
			}
			ctx.pipeline().remove(this);
			try {
				this.handshake.accepted(ctx.channel(), null, 0);
			}
			catch (RuntimeException ex) {
				// The endpoint has been told; the connection has no place any more.
				ctx.close();
			}
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			this.handshake.failed(new IOException(
					"connection closed before it was attached: " + Connections.failureOf(ctx.channel())));
			ctx.fireChannelInactive();
		}

	}

	/**
	 * The server's side: asks the endpoint where the connection goes, by the port it arrived on.
	 */
	static final class Server extends ChannelInboundHandlerAdapter {

		private final ServerHandshake handshake;

		private boolean finished;

		Server(ServerHandshake handshake) {
			this.handshake = handshake;
		}

		@Override
		public void handlerAdded(ChannelHandlerContext ctx) {
			if (ctx.channel().isActive()) {
				// An accepted connection is active already; its pipeline is still being built, though, and attaching
				// adds handlers before its last one. Whichever of this and channelActive comes first decides.
				ctx.executor().execute(() -> decide(ctx));
			}
		}

		@Override
		public void channelActive(ChannelHandlerContext ctx) {
			decide(ctx);
			ctx.fireChannelActive();
		}

		private void decide(ChannelHandlerContext ctx) {
			if (this.finished || !ctx.channel().isActive()) {
				return;
			}
			finish();
			ctx.pipeline().remove(this);
			ChannelKind kind = this.handshake.channelByPort();
			String linkId = this.handshake.endpoint().linkId();
			if (kind == null || linkId == null) {
				logger.warn("Closing connection " + Connections.describe(ctx.channel()) + ": ISO 8583 pairs connections "
						+ "by port, and this one arrived where no socket of a link is named");
				ctx.close();
				return;
			}
			HandshakeDecision decision = this.handshake.decide(ctx.channel(),
					JoinRequest.withoutSession(linkId, kind, false));
			HelloReject rejection = decision.rejection();
			if (rejection != null) {
				refusals.info(() -> "Closing connection " + Connections.describe(ctx.channel()) + " for the "
						+ kind.serverSocket().label() + " socket of link '" + linkId + "': " + rejection.message(), null);
				ctx.close();
				return;
			}
			Runnable attach = decision.attach();
			if (attach != null) {
				try {
					attach.run();
				}
				catch (RuntimeException ex) {
					logger.info("Closing connection " + Connections.describe(ctx.channel()) + " for link '" + linkId
							+ "': it could not be attached (" + ex + ")");
					ctx.close();
				}
			}
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			finish();
			ctx.fireChannelInactive();
		}

		private void finish() {
			if (!this.finished) {
				this.finished = true;
				this.handshake.finished();
			}
		}

	}

}
