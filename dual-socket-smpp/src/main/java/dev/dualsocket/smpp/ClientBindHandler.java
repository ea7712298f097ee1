package dev.dualsocket.smpp;

import java.io.IOException;

import dev.dualsocket.SocketRole;
import dev.dualsocket.protocol.ClientHandshake;
import dev.dualsocket.transport.Connections;
import dev.dualsocket.transport.ProtocolViolationException;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.jsmpp.PDUStringException;
import org.jsmpp.util.DefaultComposer;

/**
 * Binds a client's connection as soon as it is up: {@code bind_transmitter} for the outbound socket, on which this
 * side submits, {@code bind_receiver} for the inbound one, on which the SMSC delivers. The system_id is the link id.
 * On a positive answer it hands the connection to its link before reading any further PDU, then removes itself; on a
 * refusal it reports the SMSC's status and closes the connection.
 */
final class ClientBindHandler extends ChannelInboundHandlerAdapter {

	private final ClientHandshake handshake;

	private final SmppSettings settings;

	private final int bindId;

	private boolean done;

	ClientBindHandler(ClientHandshake handshake, SmppSettings settings) {
		this.handshake = handshake;
		this.settings = settings;
		this.bindId = (handshake.socket() == SocketRole.OUTBOUND) ? Pdus.BIND_TRANSMITTER : Pdus.BIND_RECEIVER;
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		byte[] bind;
		try {
			bind = new DefaultComposer().bind(this.bindId, codec(ctx).nextSequenceNumber(), this.handshake.linkId(),
					this.settings.password(), this.settings.systemType(), Pdus.INTERFACE_VERSION_34, (byte) 0, (byte) 0,
					"");
		}
		catch (PDUStringException ex) {
			fail(ctx, new IOException("cannot bind link '" + this.handshake.linkId() + "': " + ex.getMessage(), ex));
			return;
		}
		ctx.writeAndFlush(bind).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
		super.channelActive(ctx);
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		byte[] pdu = (byte[]) msg;
		int commandId = Pdus.commandId(pdu);
		String bind = Pdus.commandName(this.bindId);
		if (commandId == (this.bindId | Pdus.RESPONSE_BIT) || commandId == Pdus.GENERIC_NACK) {
			int status = Pdus.commandStatus(pdu);
			if (status != Pdus.ESME_ROK || commandId == Pdus.GENERIC_NACK) {
				fail(ctx, new IOException("SMSC refused " + bind + ((commandId == Pdus.GENERIC_NACK) ? " with generic_nack" : "")
						+ ": " + Pdus.statusName(status)));
				return;
			}
			this.done = true;
			codec(ctx).bound();
			ctx.pipeline().get(PduDecoder.class).bound();
			ctx.pipeline().remove(this);
			try {
				this.handshake.accepted(ctx.channel(), null, 0);
			}
			catch (RuntimeException ex) {
				ctx.close(); // the endpoint has been told already
			}
			return;
		}
		throw new ProtocolViolationException("expected " + bind + "_resp, got " + Pdus.commandName(commandId)
				+ " before the bind was answered");
	}

	private void fail(ChannelHandlerContext ctx, Throwable cause) {
		if (!this.done) {
			this.done = true;
			this.handshake.failed(cause);
		}
		ctx.close();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		if (!this.done) {
			this.done = true;
			this.handshake.failed(new IOException("connection closed before the SMSC answered "
					+ Pdus.commandName(this.bindId) + ": " + Connections.failureOf(ctx.channel())));
		}
		super.channelInactive(ctx);
	}

	private static SmppCodec codec(ChannelHandlerContext ctx) {
		return ctx.pipeline().get(SmppCodec.class);
	}

}
