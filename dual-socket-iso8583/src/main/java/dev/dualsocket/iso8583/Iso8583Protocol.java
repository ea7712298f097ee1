package dev.dualsocket.iso8583;

import java.time.Clock;

import dev.dualsocket.codec.PayloadCodec;
import dev.dualsocket.link.LinkSettings;
import dev.dualsocket.protocol.ClientHandshake;
import dev.dualsocket.protocol.ConnectionSetup;
import dev.dualsocket.protocol.InFlightPolicy;
import dev.dualsocket.protocol.Pairing;
import dev.dualsocket.protocol.ServerHandshake;
import dev.dualsocket.protocol.WireProtocol;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;

/**
 * ISO 8583 as a binding of the engine, over jPOS's {@code ISOMsg} and packagers.
 *
 * <ul>
 * <li><b>Framing</b>: each message is the packed message behind a {@link LengthHeader}; a frame's payload is the
 * packed message exactly as on the wire, without the header.</li>
 * <li><b>Handshake</b>: none. The server's two ports name the sockets ({@link Pairing#PORT}): {@code port} takes
 * the client's outbound connection, {@code inbound-port} its inbound one, both for the endpoint's one
 * {@code link-id}.</li>
 * <li><b>Heartbeat</b>: the engine's heartbeat is an 0800 echo test (DE70 {@code 301}, DE11 a STAN of the
 * connection's own, DE7 the transmission time in UTC), answered by an 0810 with the same STAN. The peer's echo tests
 * are answered with an 0810 copy, DE39 {@code 00}. Other network messages (sign-on 001, sign-off 002, key exchange)
 * are requests like any other, for the application.</li>
 * <li><b>Correlation</b>: a response (third MTI digit odd) answers the request in flight on the same connection
 * with the same MTI pair (0200 and 0201 with 0210) and the same values of the {@link Iso8583Settings#keyFields() key
 * fields}. A request whose key is already in flight on the connection is not sent: its caller fails at once with a
 * {@link dev.dualsocket.RemoteRequestException} saying so. A response that answers nothing in flight is dropped and
 * logged. The peer's requests get ids of the session and carry their MTI as the message type, by which listeners
 * are chosen; an engine error for one is answered with the response MTI, the request's key fields and DE39
 * {@code 96} ({@code 91} when this side is busy or shutting down).</li>
 * <li><b>Re-sends</b>: none ({@link InFlightPolicy#FAIL}). Requests in flight on a connection that fails fail with
 * a {@link dev.dualsocket.LinkDisconnectedException}; repeats (0201, 0221, 0401) are the application's to send.</li>
 * </ul>
 */
public final class Iso8583Protocol implements WireProtocol {

	/** The name in the {@code protocol} property. */
	public static final String NAME = "iso8583";

	private final Iso8583Settings settings;

	private final Iso8583PayloadCodec codec;

	/**
	 * @param settings packager, length header and key fields
	 */
	public Iso8583Protocol(Iso8583Settings settings) {
		this.settings = settings;
		this.codec = new Iso8583PayloadCodec(settings.packager());
	}

	/**
	 * @return the settings the binding was made with
	 */
	public Iso8583Settings getSettings() {
		return this.settings;
	}

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public InFlightPolicy getInFlightPolicy() {
		return InFlightPolicy.FAIL;
	}

	@Override
	public Pairing getPairing() {
		return Pairing.PORT;
	}

	@Override
	public PayloadCodec getPayloadCodec() {
		return this.codec;
	}

	@Override
	public void initConnection(Channel channel, ConnectionSetup setup) {
		LinkSettings link = setup.endpoint().link();
		channel.pipeline()
			.addLast("iso8583-framing", new Iso8583FrameDecoder(this.settings.header(), link.maxFrameSize()))
			.addLast("iso8583", new Iso8583Translator(this.settings, link.maxFrameSize(),
					link.requestTimeout().toNanos(), link.maxRequestsInFlight(), Clock.systemUTC()));
	}

	@Override
	public ChannelHandler newClientHandshake(ClientHandshake handshake) {
		return new NoHandshake.Client(handshake);
	}

	@Override
	public ChannelHandler newServerHandshake(ServerHandshake handshake) {
		return new NoHandshake.Server(handshake);
	}

	@Override
	public String toString() {
		return "ISO 8583 (" + this.settings.header() + " length header, key fields " + this.settings.keyFields() + ")";
	}

}
