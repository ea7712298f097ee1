package dev.dualsocket.transport;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import javax.net.ssl.SSLPeerUnverifiedException;

import dev.dualsocket.support.RateLimitedLog;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Takes the handshake of an accepted connection (section 4 of the protocol): a {@link Hello} in a version this server
 * speaks, and, where the endpoint authenticates, the proof of section 4.5, before it asks the endpoint what to do
 * with the connection. A connection that sends anything else, or does not finish within the handshake timeout, is
 * closed as a protocol violation.
 */
public final class ServerHandshakeHandler extends ChannelInboundHandlerAdapter {

	private static final Log logger = LogFactory.getLog(ServerHandshakeHandler.class);

	/** A stranger can be refused as often as it connects: one line per 10 s, with a count of the rest. */
	private static final RateLimitedLog refusals = new RateLimitedLog(logger, 10, TimeUnit.SECONDS);

	private final Acceptor acceptor;

	private final Credentials credentials;

	private final Duration timeout;

	private @Nullable FrameDecoder frames;

	private final Runnable done;

	private boolean finished;

	private @Nullable ScheduledFuture<?> expiry;

	/**
	 * Set once the connection broke the handshake: the frames that came with the offending one in the same read are
	 * dropped, never taken for a HELLO (fuzzing found a REQUEST followed by a HELLO in one read opening a link).
	 */
	private boolean violated;

	/** Set while waiting for the HELLO_PROOF of an authenticating client. */
	private @Nullable Challenged challenged;

	/**
	 * @param acceptor decides what to do with the handshake
	 * @param credentials what the endpoint requires connections to prove
	 * @param timeout how long a connection may take to finish its handshake
	 * @param frames the connection's decoder, which reads no frame longer than a HELLO until the handshake completes
	 * @param done called once when the connection is no longer in its handshake: it was accepted or refused, or it
	 * closed first
	 */
	public ServerHandshakeHandler(Acceptor acceptor, Credentials credentials, Duration timeout, FrameDecoder frames,
			Runnable done) {
		this.acceptor = acceptor;
		this.credentials = credentials;
		this.timeout = timeout;
		this.frames = frames;
		this.done = done;
		frames.limitUntilHandshake(Hello.MAX_HELLO_LENGTH);
	}

	/**
	 * A handler that finds the connection's {@link FrameDecoder} in its pipeline when it is added.
	 * @param acceptor decides what to do with the handshake
	 * @param credentials what the endpoint requires connections to prove
	 * @param timeout how long a connection may take to finish its handshake
	 * @param done called once when the connection is no longer in its handshake
	 */
	public ServerHandshakeHandler(Acceptor acceptor, Credentials credentials, Duration timeout, Runnable done) {
		this.acceptor = acceptor;
		this.credentials = credentials;
		this.timeout = timeout;
		this.done = done;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		if (this.frames == null) {
			FrameDecoder decoder = ctx.pipeline().get(FrameDecoder.class);
			if (decoder == null) {
				throw new IllegalStateException("the HELLO handshake needs a FrameDecoder ahead of it in the pipeline");
			}
			decoder.limitUntilHandshake(Hello.MAX_HELLO_LENGTH);
			this.frames = decoder;
		}
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		this.expiry = ctx.executor().schedule(() -> ctx.fireExceptionCaught(new ProtocolViolationException(
				"no complete handshake within " + this.timeout.toMillis() + " ms of connecting")), this.timeout.toNanos(),
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

	/** The connection is no longer in its handshake: it was decided, or it is gone. */
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
		if (this.violated) {
			return;
		}
		Challenged waiting = this.challenged;
		if (waiting != null) {
			proofReceived(ctx, waiting, frame);
		}
		else {
			helloReceived(ctx, frame);
		}
	}

	private void helloReceived(ChannelHandlerContext ctx, Frame frame) {
		if (frame.type() != FrameType.HELLO) {
			throw violation("expected HELLO as the first frame, got " + frame.type());
		}
		Hello hello;
		try {
			int version = Hello.versionOf(frame);
			if (version != Protocol.VERSION && version != Protocol.OLDEST_VERSION) {
				rejectAndClose(ctx, HelloReject.Reason.UNSUPPORTED_VERSION, "unsupported protocol version " + version
						+ " (this server speaks " + Protocol.OLDEST_VERSION + " and " + Protocol.VERSION + ")");
				return;
			}
			hello = Hello.fromFrame(frame);
		}
		catch (ProtocolViolationException ex) {
			rejectAndClose(ctx, HelloReject.Reason.MALFORMED_HELLO, ex.getMessage());
			return;
		}
		if ((this.credentials.requiresSecret() || this.credentials.requiresCertificate()) && hello.version() < 2) {
			// Section 8: an endpoint that authenticates speaks version 2 only.
			refuseAuthentication(ctx, hello, "the client speaks protocol version " + hello.version()
					+ ", and this endpoint authenticates, which needs version 2");
			return;
		}
		if (this.credentials.requiresCertificate() && !certificateNames(ctx.channel(), hello.linkId())) {
			refuseAuthentication(ctx, hello, "the client certificate does not name the link id");
			return;
		}
		if (this.credentials.requiresSecret()) {
			byte[] clientNonce = hello.clientNonce();
			if (clientNonce == null) {
				refuseAuthentication(ctx, hello, "the client offers no authentication (no client nonce)");
				return;
			}
			byte[] serverNonce = Authentication.nonce();
			this.challenged = new Challenged(hello, frame.payload(), clientNonce, serverNonce);
			ctx.writeAndFlush(new HelloChallenge(serverNonce, FieldList.EMPTY).toFrame());
			return;
		}
		decide(ctx, hello, this.credentials.requiresCertificate(), null);
	}

	private void proofReceived(ChannelHandlerContext ctx, Challenged waiting, Frame frame) {
		if (frame.type() != FrameType.HELLO_PROOF) {
			throw violation("expected HELLO_PROOF after HELLO_CHALLENGE, got " + frame.type());
		}
		HelloProof proof;
		try {
			proof = HelloProof.fromFrame(frame);
		}
		catch (ProtocolViolationException ex) {
			rejectAndClose(ctx, HelloReject.Reason.MALFORMED_HELLO, ex.getMessage());
			return;
		}
		byte[] secret = this.credentials.secretFor(waiting.hello.linkId());
		// Computed even without a secret, so that an unknown link id takes as long as a wrong proof.
		byte[] expected = Authentication.clientProof((secret != null) ? secret : waiting.serverNonce,
				waiting.serverNonce, waiting.clientNonce, waiting.helloPayload);
		if (secret == null || !Authentication.matches(expected, proof.proof())) {
			refuseAuthentication(ctx, waiting.hello,
					(secret == null) ? "no secret is known for the link id" : "wrong proof of the secret");
			return;
		}
		decide(ctx, waiting.hello, true, (token) -> Authentication.serverProof(secret, waiting.clientNonce,
				waiting.serverNonce, waiting.helloPayload, token));
	}

	/**
	 * Ends the handshake of a connection that broke it; the error handler closes the connection.
	 */
	private ProtocolViolationException violation(String why) {
		this.violated = true;
		cancelExpiry();
		finish();
		return new ProtocolViolationException(why);
	}

	/**
	 * Asks the endpoint what to do with a handshake that passed every check, and answers the client.
	 */
	private void decide(ChannelHandlerContext ctx, Hello hello, boolean authenticated,
			@Nullable ServerProof serverProof) {
		cancelExpiry();
		finish();
		HandshakeDecision decision = this.acceptor.accept(hello, ctx.channel(), authenticated);
		HelloReject rejection = decision.rejection();
		if (rejection != null) {
			refusals.info(() -> "Refused connection " + Connections.describe(ctx.channel()) + " for link '"
					+ hello.linkId() + "': " + rejection.message(), null);
			ctx.writeAndFlush(rejection.toFrame()).addListener((future) -> ctx.close());
			ctx.pipeline().remove(this);
			return;
		}
		byte[] token = decision.token();
		Objects.requireNonNull(this.frames).handshakeCompleted(hello.version());
		Connections.handshakeCompleted(ctx.channel(), hello.version(), hello.capabilities());
		// Written, and flushed only once the connection is attached: a client that acted on the accept at once (a
		// second connection, a request) would otherwise find the link without it.
		Channel channel = ctx.channel();
		ctx.write(HelloAccept
			.answering(hello, token, (serverProof != null) ? serverProof.compute(token) : null, decision.epoch(),
					decision.keepsAnswers())
			.toFrame());
		ctx.pipeline().remove(this);
		Runnable attach = decision.attach();
		if (attach != null) {
			try {
				attach.run();
			}
			catch (RuntimeException ex) {
				// The link changed state between the decision and now (given up, closed); the client tries again.
				logger.info("Closing connection " + Connections.describe(channel) + " for link '" + hello.linkId()
						+ "': " + ex.getMessage());
				// The answer goes out as ever, and the close behind it tells the client.
				channel.flush();
				channel.close();
				return;
			}
		}
		channel.flush();
	}

	/**
	 * Refuses a connection that did not prove itself: the client is told only that authentication failed; the log
	 * says why (never with a secret, nonce or proof).
	 */
	private void refuseAuthentication(ChannelHandlerContext ctx, Hello hello, String why) {
		cancelExpiry();
		finish();
		ctx.writeAndFlush(new HelloReject(HelloReject.Reason.AUTHENTICATION_FAILED, "authentication failed").toFrame())
			.addListener((future) -> ctx.fireExceptionCaught(
					new ProtocolViolationException("authentication failed for link '" + hello.linkId() + "': " + why)));
		ctx.pipeline().remove(this);
	}

	/**
	 * Tells the client why its HELLO is refused, then closes the connection as a protocol violation (logged and
	 * reported like any other).
	 */
	private void rejectAndClose(ChannelHandlerContext ctx, HelloReject.Reason reason, String why) {
		cancelExpiry();
		finish();
		ctx.writeAndFlush(new HelloReject(reason, why).toFrame())
			.addListener((future) -> ctx.fireExceptionCaught(new ProtocolViolationException(why)));
		ctx.pipeline().remove(this);
	}

	/**
	 * Whether the connection's TLS client certificate names the link id: as its subject's common name, or one of its
	 * DNS or URI subject alternative names.
	 */
	static boolean certificateNames(Channel channel, String linkId) {
		SslHandler tls = channel.pipeline().get(SslHandler.class);
		if (tls == null) {
			return false;
		}
		try {
			Certificate[] chain = tls.engine().getSession().getPeerCertificates();
			return chain.length > 0 && chain[0] instanceof X509Certificate certificate
					&& CertificateNames.of(certificate).contains(linkId);
		}
		catch (SSLPeerUnverifiedException ex) {
			return false;
		}
	}

	/**
	 * Decides what to do with a client's handshake.
	 */
	@FunctionalInterface
	public interface Acceptor {

		/**
		 * Called on the connection's event loop with the client's handshake, once it passed every check.
		 * @param hello the handshake
		 * @param channel the connection
		 * @param authenticated whether the connection proved it belongs to the link (section 4.5)
		 * @return what to do
		 */
		HandshakeDecision accept(Hello hello, Channel channel, boolean authenticated);

	}

	/**
	 * What an endpoint requires connections to prove.
	 *
	 * @param requiresSecret whether each connection must prove the link's secret
	 * @param requiresCertificate whether each connection's TLS client certificate must name its link id
	 * @param secrets the secret of a link id, or {@code null} if the link has none; called on the event loop
	 */
	public record Credentials(boolean requiresSecret, boolean requiresCertificate,
			Function<String, byte @Nullable []> secrets) {

		/** Nothing is required. */
		public static final Credentials NONE = new Credentials(false, false, (linkId) -> null);

		byte @Nullable [] secretFor(String linkId) {
			return this.secrets.apply(linkId);
		}

	}

	@FunctionalInterface
	private interface ServerProof {

		byte[] compute(byte[] token);

	}

	/** A HELLO answered with a challenge, waiting for its proof. */
	private record Challenged(Hello hello, byte[] helloPayload, byte[] clientNonce, byte[] serverNonce) {
	}

}
