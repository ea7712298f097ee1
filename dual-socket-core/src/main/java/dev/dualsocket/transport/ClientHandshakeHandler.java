package dev.dualsocket.transport;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Opens a client connection: sends the {@link Hello} as soon as the connection is up and waits for the server's
 * answer. On {@link FrameType#HELLO_ACCEPT} it hands the connection to its link before reading any further frame, so
 * that nothing the server sends after accepting is lost, and then removes itself.
 */
public final class ClientHandshakeHandler extends ChannelInboundHandlerAdapter {

	private final Hello hello;

	private final CompletableFuture<Channel> result;

	private final BiConsumer<Channel, HelloAccept> onAccepted;

	/**
	 * Creates a handler for one connection.
	 * @param hello the handshake to send
	 * @param result completed with the channel once accepted and attached, or with the reason it was not
	 * @param onAccepted attaches the accepted connection, with the server's answer, to its link; runs on the event
	 * loop; may throw to refuse
	 */
	public ClientHandshakeHandler(Hello hello, CompletableFuture<Channel> result,
			BiConsumer<Channel, HelloAccept> onAccepted) {
		this.hello = hello;
		this.result = result;
		this.onAccepted = onAccepted;
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		ctx.writeAndFlush(this.hello.toFrame()).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
		super.channelActive(ctx);
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		Frame frame = (Frame) msg;
		switch (frame.type()) {
			case HELLO_ACCEPT -> accepted(ctx, HelloAccept.fromFrame(frame));
			case HELLO_REJECT -> {
				this.result.completeExceptionally(new HandshakeRejectedException(HelloReject.fromFrame(frame)));
				ctx.close();
			}
			default -> throw new ProtocolViolationException(
					"expected HELLO_ACCEPT or HELLO_REJECT, got " + frame.type() + " during the handshake");
		}
	}

	private void accepted(ChannelHandlerContext ctx, HelloAccept accept) {
		if (accept.version() != this.hello.version()) {
			throw new ProtocolViolationException(
					"server accepted with version " + accept.version() + " but this client speaks " + this.hello.version());
		}
		ctx.pipeline().remove(this);
		try {
			this.onAccepted.accept(ctx.channel(), accept);
			this.result.complete(ctx.channel());
		}
		catch (RuntimeException ex) {
			this.result.completeExceptionally(ex);
			ctx.close();
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		this.result.completeExceptionally(
				new IOException("connection closed during the handshake: " + Connections.failureOf(ctx.channel())));
		super.channelInactive(ctx);
	}

}
