package dev.dualsocket.smpp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;

import dev.dualsocket.protocol.JoinRequest;
import dev.dualsocket.protocol.ServerHandshake;
import dev.dualsocket.support.RateLimitedLog;
import dev.dualsocket.transport.ChannelKind;
import dev.dualsocket.transport.Connections;
import dev.dualsocket.transport.HandshakeDecision;
import dev.dualsocket.transport.HelloReject;
import dev.dualsocket.transport.ProtocolViolationException;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jsmpp.PDUStringException;
import org.jsmpp.bean.Bind;
import org.jsmpp.util.DefaultComposer;
import org.jsmpp.util.DefaultDecomposer;
import org.jspecify.annotations.Nullable;

/**
 * The SMSC's side of a new connection: waits for {@code bind_transmitter} (the ESME's outbound socket) or
 * {@code bind_receiver} (its inbound one), checks the password, asks the endpoint where the connection goes, and
 * answers. {@code bind_transceiver} is refused: one connection cannot be both sockets of a dual-socket link. A
 * connection that sends anything else first, or binds not within the handshake timeout, is closed.
 */
final class ServerBindHandler extends ChannelInboundHandlerAdapter {

	private static final Log logger = LogFactory.getLog(ServerBindHandler.class);

	private static final RateLimitedLog refusals = new RateLimitedLog(logger, 10, TimeUnit.SECONDS);

	/**
	 * How long a refused ESME has to read the refusal and close the connection itself before this side closes it.
	 * An SMSC that closes at once can make an ESME miss the answer: jSMPP's reader sees the end of the stream and
	 * gives up the bind it is waiting for, which then times out instead of failing with the status.
	 */
	static final long REFUSAL_GRACE_MILLIS = 500;

	private final ServerHandshake handshake;

	private final SmppSettings settings;

	private @Nullable ScheduledFuture<?> expiry;

	private boolean finished;

	ServerBindHandler(ServerHandshake handshake, SmppSettings settings) {
		this.handshake = handshake;
		this.settings = settings;
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		long timeout = this.handshake.timeout().toNanos();
		this.expiry = ctx.executor().schedule(() -> {
			finish();
			ctx.fireExceptionCaught(new ProtocolViolationException("no bind_transmitter or bind_receiver within "
					+ this.handshake.timeout().toMillis() + " ms of connecting"));
		}, timeout, TimeUnit.NANOSECONDS);
		super.channelActive(ctx);
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		finish();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		finish();
		super.channelInactive(ctx);
	}

	/** The connection is no longer in its handshake: it was decided, or it is gone. */
	private void finish() {
		if (this.expiry != null) {
			this.expiry.cancel(false);
		}
		if (!this.finished) {
			this.finished = true;
			this.handshake.finished();
		}
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (this.finished) {
			return; // refused already; the connection is closing
		}
		byte[] pdu = (byte[]) msg;
		int commandId = Pdus.commandId(pdu);
		int sequenceNumber = Pdus.sequenceNumber(pdu);
		if (commandId == Pdus.BIND_TRANSCEIVER) {
			refuse(ctx, commandId, sequenceNumber, Pdus.ESME_RBINDFAIL, "bind_transceiver is refused: one connection "
					+ "cannot be a dual-socket link; bind a transmitter and a receiver with the same system_id", true);
			return;
		}
		ChannelKind kind = switch (commandId) {
			case Pdus.BIND_TRANSMITTER -> ChannelKind.CLIENT_OUTBOUND;
			case Pdus.BIND_RECEIVER -> ChannelKind.CLIENT_INBOUND;
			default -> null;
		};
		if (kind == null) {
			finish();
			throw new ProtocolViolationException("expected bind_transmitter or bind_receiver as the first PDU, got "
					+ Pdus.commandName(commandId));
		}
		Bind bind;
		try {
			bind = new DefaultDecomposer().bind(pdu);
		}
		catch (PDUStringException | RuntimeException ex) {
			refuse(ctx, commandId, sequenceNumber, Pdus.ESME_RBINDFAIL, "malformed " + Pdus.commandName(commandId)
					+ ": " + ex.getMessage(), true);
			return;
		}
		String systemId = bind.getSystemId();
		if (systemId == null || systemId.isEmpty()) {
			refuse(ctx, commandId, sequenceNumber, Pdus.ESME_RBINDFAIL, Pdus.commandName(commandId)
					+ " with an empty system_id", true);
			return;
		}
		boolean authenticated = this.settings.authenticates();
		if (authenticated && !passwordMatches(systemId, bind.getPassword())) {
			// The ESME is told only that the password is wrong; the log says whether the system_id is known.
			refuse(ctx, commandId, sequenceNumber, Pdus.ESME_RINVPASWD, "authentication failed for system_id '"
					+ systemId + "': " + (this.settings.passwords().containsKey(systemId) ? "wrong password"
							: "no password is configured for it (smpp.accounts)"), true);
			return;
		}
		finish();
		HandshakeDecision decision = this.handshake.decide(ctx.channel(),
				JoinRequest.withoutSession(systemId, kind, authenticated));
		HelloReject rejection = decision.rejection();
		if (rejection != null) {
			int status = (rejection.reason() == HelloReject.Reason.LINK_IN_USE) ? Pdus.ESME_RALYBND : Pdus.ESME_RBINDFAIL;
			refuse(ctx, commandId, sequenceNumber, status, "link '" + systemId + "': " + rejection.message(), false);
			return;
		}
		byte[] answer;
		try {
			answer = new DefaultComposer().bindResp(commandId | Pdus.RESPONSE_BIT, sequenceNumber,
					this.settings.smscSystemId());
		}
		catch (PDUStringException ex) {
			throw new IllegalStateException(ex); // smsc-system-id was checked when the settings were made
		}
		ctx.pipeline().get(SmppCodec.class).bound();
		ctx.pipeline().get(PduDecoder.class).bound();
		// Flushed only once the connection is attached, so that an ESME acting on the bind_resp at once (its other
		// bind, a submit_sm) finds the link with it.
		Channel channel = ctx.channel();
		ctx.write(Unpooled.wrappedBuffer(answer));
		ctx.pipeline().remove(this);
		Runnable attach = decision.attach();
		if (attach != null) {
			try {
				attach.run();
			}
			catch (RuntimeException ex) {
				// The link changed state between the decision and now (given up, closed); the ESME binds again.
				logger.info("Closing connection " + Connections.describe(channel) + " for link '" + systemId
						+ "': " + ex.getMessage());
				// The answer goes out as ever, and the close behind it tells the client.
				channel.flush();
				channel.close();
				return;
			}
		}
		channel.flush();
	}

	private boolean passwordMatches(String systemId, @Nullable String presented) {
		String expected = this.settings.passwords().get(systemId);
		byte[] given = ((presented != null) ? presented : "").getBytes(StandardCharsets.US_ASCII);
		// Compared even for an unknown system_id, so that it takes as long as a wrong password.
		byte[] wanted = ((expected != null) ? expected : "\u0000unknown").getBytes(StandardCharsets.US_ASCII);
		return MessageDigest.isEqual(wanted, given) && expected != null;
	}

	/**
	 * Answers a bind with a refusal and closes the connection after {@link #REFUSAL_GRACE_MILLIS}, unless the ESME
	 * closed it first: as a protocol violation (logged and reported like any
	 * other) for a bind that is wrong in itself, as a plain refusal for one the endpoint turned down.
	 */
	private void refuse(ChannelHandlerContext ctx, int commandId, int sequenceNumber, int status, String why,
			boolean violation) {
		finish();
		ctx.pipeline().remove(this);
		if (!violation) {
			refusals.info(() -> "Refused " + Pdus.commandName(commandId) + " from " + Connections.describe(ctx.channel())
					+ " with " + Pdus.statusName(status) + ": " + why + ". The ESME may bind again", null);
		}
		ctx.writeAndFlush(Unpooled.wrappedBuffer(Pdus.header(commandId | Pdus.RESPONSE_BIT, status, sequenceNumber)))
			.addListener((future) -> ctx.executor().schedule(() -> {
				if (!ctx.channel().isOpen()) {
					// The ESME (or a later violation) closed it first: the pipeline is gone, and the violation would
					// reach Netty's tail as an unhandled exception.
					return;
				}
				if (violation) {
					ctx.fireExceptionCaught(new ProtocolViolationException(why));
				}
				else {
					ctx.close();
				}
			}, REFUSAL_GRACE_MILLIS, TimeUnit.MILLISECONDS));
	}

}
