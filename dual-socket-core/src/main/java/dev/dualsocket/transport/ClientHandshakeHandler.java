package dev.dualsocket.transport;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.jspecify.annotations.Nullable;

/**
 * Opens a client connection: sends the {@link Hello} as soon as the connection is up and waits for the server's
 * answer; with a secret, answers the server's challenge and requires the server's proof (section 4.5 of the
 * protocol). On {@link FrameType#HELLO_ACCEPT} it hands the connection to its link before reading any further frame, so
 * that nothing the server sends after accepting is lost, and then removes itself.
 */
public final class ClientHandshakeHandler extends ChannelInboundHandlerAdapter {

	private final Hello hello;

	/** The HELLO as sent: its payload is what both proofs cover. */
	private final Frame helloFrame;

	private final byte @Nullable [] secret;

	private byte @Nullable [] serverNonce;

	private final CompletableFuture<Channel> result;

	private final BiConsumer<Channel, HelloAccept> onAccepted;

	/**
	 * Creates a handler for one connection.
	 * @param hello the handshake to send; with a client nonce when {@code secret} is given
	 * @param secret the link's secret, or {@code null} when the client does not authenticate
	 * @param result completed with the channel once accepted and attached, or with the reason it was not
	 * @param onAccepted attaches the accepted connection, with the server's answer, to its link; runs on the event
	 * loop; may throw to refuse
	 */
	public ClientHandshakeHandler(Hello hello, byte @Nullable [] secret, CompletableFuture<Channel> result,
			BiConsumer<Channel, HelloAccept> onAccepted) {
		if ((secret != null) != (hello.clientNonce() != null)) {
			throw new IllegalArgumentException("a client with a secret sends a client nonce, and only such a client");
		}
		this.hello = hello;
		this.helloFrame = hello.toFrame();
		this.secret = secret;
		this.result = result;
		this.onAccepted = onAccepted;
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		ctx.writeAndFlush(this.helloFrame).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
		super.channelActive(ctx);
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		Frame frame = (Frame) msg;
		switch (frame.type()) {
			case HELLO_CHALLENGE -> challenged(ctx, HelloChallenge.fromFrame(frame));
			case HELLO_ACCEPT -> accepted(ctx, HelloAccept.fromFrame(frame));
			case HELLO_REJECT -> {
				this.result.completeExceptionally(new HandshakeRejectedException(HelloReject.fromFrame(frame)));
				ctx.close();
			}
			default -> throw new ProtocolViolationException(
					"expected HELLO_ACCEPT or HELLO_REJECT, got " + frame.type() + " during the handshake");
		}
	}

	private void challenged(ChannelHandlerContext ctx, HelloChallenge challenge) {
		byte[] key = this.secret;
		byte[] clientNonce = this.hello.clientNonce();
		if (key == null || clientNonce == null || this.serverNonce != null) {
			throw new ProtocolViolationException("unexpected HELLO_CHALLENGE: this client "
					+ ((key == null) ? "offered no authentication" : "was challenged already"));
		}
		this.serverNonce = challenge.serverNonce();
		ctx.writeAndFlush(new HelloProof(Authentication.clientProof(key, challenge.serverNonce(), clientNonce,
				this.helloFrame.payload())).toFrame())
			.addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
	}

	private void accepted(ChannelHandlerContext ctx, HelloAccept accept) {
		if (accept.version() != this.hello.version()) {
			throw new ProtocolViolationException(
					"server accepted with version " + accept.version() + " but this client speaks " + this.hello.version());
		}
		if (this.secret != null && !serverProved(accept)) {
			this.result.completeExceptionally(new ServerAuthenticationException("the server did not prove it knows the "
					+ "link's secret (" + ((accept.serverProof() == null) ? "no server proof" : "a wrong server proof")
					+ "): it is not this link's server, or the two ends hold different secrets"));
			ctx.close();
			return;
		}
		ctx.pipeline().get(FrameDecoder.class).handshakeCompleted(accept.version());
		Connections.handshakeCompleted(ctx.channel(), accept.version(), accept.capabilities());
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

	private boolean serverProved(HelloAccept accept) {
		byte[] key = this.secret;
		byte[] clientNonce = this.hello.clientNonce();
		byte[] presented = accept.serverProof();
		if (key == null || clientNonce == null || this.serverNonce == null || presented == null) {
			return false;
		}
		return Authentication.matches(Authentication.serverProof(key, clientNonce, this.serverNonce,
				this.helloFrame.payload(), accept.token()), presented);
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		this.result.completeExceptionally(
				new IOException("connection closed during the handshake: " + Connections.failureOf(ctx.channel())));
		super.channelInactive(ctx);
	}

}
