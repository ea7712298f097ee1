package dev.dualsocket.protocol;

import java.util.concurrent.CompletableFuture;

import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.endpoint.LinkAuthentication;
import dev.dualsocket.transport.Authentication;
import dev.dualsocket.transport.ChannelKind;
import dev.dualsocket.transport.ClientHandshakeHandler;
import dev.dualsocket.transport.FrameDecoder;
import dev.dualsocket.transport.FrameEncoder;
import dev.dualsocket.transport.Hello;
import dev.dualsocket.transport.ServerHandshakeHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;

/**
 * This project's own protocol, version 2 ({@code docs/PROTOCOL.md}), as a binding: length-prefixed frames, the
 * {@code HELLO} handshake that names link, session and socket (with the HMAC proof of a shared secret or a
 * certificate's names), heartbeats with nonces, request ids, and re-sends answered from the receiver's record of
 * served ids.
 */
public final class DualSocketProtocol implements WireProtocol {

	/** The binding; it holds nothing of its own. */
	public static final DualSocketProtocol INSTANCE = new DualSocketProtocol();

	/** The name in the {@code protocol} property. */
	public static final String NAME = "dual-socket";

	private DualSocketProtocol() {
	}

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public InFlightPolicy getInFlightPolicy() {
		return InFlightPolicy.RESEND;
	}

	@Override
	public Pairing getPairing() {
		return Pairing.HANDSHAKE;
	}

	@Override
	public void initConnection(Channel channel, ConnectionSetup setup) {
		channel.pipeline()
			.addLast("decoder", new FrameDecoder(setup.endpoint().link().maxFrameSize()))
			.addLast("encoder", FrameEncoder.INSTANCE);
	}

	@Override
	public ChannelHandler newClientHandshake(ClientHandshake handshake) {
		byte[] secret = handshake.secret();
		Hello hello = Hello.of(ChannelKind.ofClientSocket(handshake.socket()), handshake.sessionId(),
				handshake.linkId(), handshake.sessionToken(), (secret != null) ? Authentication.nonce() : null,
				handshake.epoch());
		CompletableFuture<Channel> result = new CompletableFuture<>();
		result.whenComplete((channel, failure) -> {
			if (failure != null) {
				handshake.failed(failure);
			}
		});
		return new ClientHandshakeHandler(hello, secret, result,
				(channel, accept) -> handshake.accepted(channel, accept.token(), accept.epoch()));
	}

	@Override
	public ChannelHandler newServerHandshake(ServerHandshake handshake) {
		EndpointSettings settings = handshake.endpoint();
		LinkAuthentication auth = settings.auth();
		ServerHandshakeHandler.Credentials credentials = new ServerHandshakeHandler.Credentials(auth.secrets() != null,
				auth.certificateBinding(), (linkId) -> auth.secretFor(settings.name(), linkId));
		return new ServerHandshakeHandler((hello, channel, authenticated) -> handshake.decide(channel,
				new JoinRequest(hello.linkId(), hello.channel(), hello.sessionId(), hello.token(), hello.epoch(),
						authenticated, false)),
				credentials, handshake.timeout(), handshake::finished);
	}

}
