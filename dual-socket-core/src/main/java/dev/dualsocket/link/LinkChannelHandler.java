package dev.dualsocket.link;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.dualsocket.SocketRole;
import dev.dualsocket.transport.Frame;
import dev.dualsocket.transport.ProtocolViolationException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Hands the frames of one attached connection to its link, and tells the link when the connection is gone. The
 * requests read in one batch go to the handler pool together, when the batch ends.
 * Requests may only arrive on an inbound socket and responses only on an outbound one; anything else breaks the
 * protocol.
 */
final class LinkChannelHandler extends ChannelInboundHandlerAdapter {

	private final Link link;

	private final SocketRole role;

	/** The session the connection was attached in: what it reads belongs to that session only. */
	private final Session session;

	/** Requests read in the current read batch, served together when the batch ends; reused for the next. */
	private final List<Frame> requests = new ArrayList<>();

	LinkChannelHandler(Link link, SocketRole role, Session session) {
		this.link = link;
		this.role = role;
		this.session = session;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		Frame frame = (Frame) msg;
		switch (frame.type()) {
			case REQUEST -> {
				expect(SocketRole.INBOUND, frame);
				if (this.link.responder().admitRequest(frame, this.session)) {
					this.requests.add(frame);
				}
			}
			case RESPONSE, ERROR -> {
				expect(SocketRole.OUTBOUND, frame);
				this.link.requester().onResponse(frame, this.session);
			}
			case CLOSE -> this.link.onPeerClosing(new String(frame.payload(), StandardCharsets.UTF_8), this.session);
			case QUIESCE -> this.link.onPeerQuiesced(frame.id(), new String(frame.payload(), StandardCharsets.UTF_8),
					this.session);
			case RESUME -> this.link.onPeerResumed(new String(frame.payload(), StandardCharsets.UTF_8), this.session);
			default -> throw new ProtocolViolationException(frame.type() + " after the handshake");
		}
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		if (!this.requests.isEmpty()) {
			this.link.responder().serve(this.requests, this.session);
			this.requests.clear();
		}
		ctx.fireChannelReadComplete();
	}

	private void expect(SocketRole expected, Frame frame) {
		if (this.role != expected) {
			throw new ProtocolViolationException(
					frame.type() + " arrived on the " + this.role.label() + " socket; it belongs on the other one");
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		this.link.socketClosed(this.role, ctx.channel());
		super.channelInactive(ctx);
	}

}
