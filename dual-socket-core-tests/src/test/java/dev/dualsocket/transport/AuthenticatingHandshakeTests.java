package dev.dualsocket.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/**
 * The server's side of section 4.5, one handler alone in an {@link EmbeddedChannel} (as Netty tests a handler): what
 * an endpoint that authenticates answers to each kind of {@code HELLO} and proof, and that the endpoint is asked about
 * a connection only once it proved itself.
 */
class AuthenticatingHandshakeTests {

	private static final byte[] SECRET = "the secret of orders-1, shared".getBytes(UTF_8);

	private static final byte[] TOKEN = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");

	private final List<Boolean> asked = new ArrayList<>();

	private final List<Throwable> violations = new ArrayList<>();

	@Test
	void versionOneIsRefusedByAnEndpointThatBindsCertificates() {
		EmbeddedChannel channel = server(credentials(false, true));
		channel.writeInbound(new Hello(1, ChannelKind.CLIENT_OUTBOUND, 7, "orders-1", new byte[0], FieldList.EMPTY)
			.toFrame());

		assertRefused(channel, "speaks protocol version 1");
	}

	@Test
	void helloWithoutANonceIsRefusedByAnEndpointThatRequiresASecret() {
		EmbeddedChannel channel = server(credentials(true, false));
		channel.writeInbound(Hello.of(ChannelKind.CLIENT_OUTBOUND, 7, "orders-1", new byte[0], null).toFrame());

		assertRefused(channel, "no client nonce");
	}

	@Test
	void wrongProofIsRefusedAndTheEndpointIsNeverAsked() {
		EmbeddedChannel channel = server(credentials(true, false));
		channel.writeInbound(Hello.of(ChannelKind.CLIENT_OUTBOUND, 7, "orders-1", new byte[0], Authentication.nonce())
			.toFrame());
		assertThat(written(channel).type()).isEqualTo(FrameType.HELLO_CHALLENGE);
		channel.writeInbound(new HelloProof(new byte[Authentication.PROOF_LENGTH]).toFrame());

		assertRefused(channel, "wrong proof");
	}

	@Test
	void rightProofIsAcceptedWithTheServersProof() {
		EmbeddedChannel channel = server(credentials(true, false));
		byte[] clientNonce = Authentication.nonce();
		Frame hello = Hello.of(ChannelKind.CLIENT_OUTBOUND, 7, "orders-1", new byte[0], clientNonce).toFrame();
		channel.writeInbound(hello);
		byte[] serverNonce = HelloChallenge.fromFrame(written(channel)).serverNonce();
		channel.writeInbound(
				new HelloProof(Authentication.clientProof(SECRET, serverNonce, clientNonce, hello.payload())).toFrame());

		HelloAccept accept = HelloAccept.fromFrame(written(channel));
		assertThat(accept.token()).isEqualTo(TOKEN);
		assertThat(accept.serverProof())
			.isEqualTo(Authentication.serverProof(SECRET, clientNonce, serverNonce, hello.payload(), TOKEN));
		assertThat(this.asked).containsExactly(true);
		assertThat(this.violations).isEmpty();
	}

	private void assertRefused(EmbeddedChannel channel, String why) {
		Frame reject = written(channel);
		assertThat(reject.type()).isEqualTo(FrameType.HELLO_REJECT);
		assertThat(HelloReject.fromFrame(reject).reason()).isEqualTo(HelloReject.Reason.AUTHENTICATION_FAILED);
		// The client is told only that authentication failed; the log (the violation) says why.
		assertThat(HelloReject.fromFrame(reject).message()).isEqualTo("authentication failed");
		assertThat(this.violations).singleElement().satisfies((ex) -> assertThat(ex).hasMessageContaining(why));
		assertThat(this.asked).isEmpty();
	}

	private EmbeddedChannel server(ServerHandshakeHandler.Credentials credentials) {
		FrameDecoder decoder = new FrameDecoder(64 * 1024);
		ServerHandshakeHandler.Acceptor acceptor = (Hello hello, Channel connection, boolean authenticated) -> {
			this.asked.add(authenticated);
			return HandshakeDecision.accept(TOKEN, () -> {
			});
		};
		return new EmbeddedChannel(FrameEncoder.INSTANCE,
				new ServerHandshakeHandler(acceptor, credentials, Duration.ofSeconds(5), decoder, () -> {
				}), new ChannelInboundHandlerAdapter() {
					@Override
					public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
						AuthenticatingHandshakeTests.this.violations.add(cause);
					}
				});
	}

	/** The next frame the server wrote, read back with a decoder of its own. */
	private static Frame written(EmbeddedChannel channel) {
		ByteBuf bytes = channel.readOutbound();
		assertThat(bytes).as("a frame written").isNotNull();
		EmbeddedChannel reader = new EmbeddedChannel(new FrameDecoder(64 * 1024));
		reader.writeInbound(bytes);
		return reader.readInbound();
	}

	private static ServerHandshakeHandler.Credentials credentials(boolean secret, boolean certificate) {
		return new ServerHandshakeHandler.Credentials(secret, certificate, (linkId) -> secret ? SECRET : null);
	}

}
