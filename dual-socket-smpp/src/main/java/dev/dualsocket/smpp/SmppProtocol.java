package dev.dualsocket.smpp;

import java.util.Objects;

import dev.dualsocket.codec.PayloadCodec;
import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.protocol.ClientHandshake;
import dev.dualsocket.protocol.ConnectionSetup;
import dev.dualsocket.protocol.InFlightPolicy;
import dev.dualsocket.protocol.Pairing;
import dev.dualsocket.protocol.ServerHandshake;
import dev.dualsocket.protocol.WireProtocol;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;

/**
 * SMPP 3.4 as a binding of the engine ({@code docs/SMPP.md}). The ESME is the client endpoint: its outbound socket is
 * its {@code bind_transmitter} connection (it sends {@code submit_sm}, the SMSC answers {@code submit_sm_resp}), its
 * inbound socket its {@code bind_receiver} connection (the SMSC sends {@code deliver_sm}, the ESME answers
 * {@code deliver_sm_resp}); the link id is the {@code system_id}. The server endpoint plays the SMSC.
 *
 * <p>A payload is one whole PDU, in both directions; {@link SmppPayloadCodec} turns jSMPP's beans into PDUs and back.
 * The binding sets each PDU's sequence_number and correlates answers by it, answers and sends {@code enquire_link} as
 * the heartbeat, and turns an {@code unbind} into the engine's {@code CLOSE}. Requests are never re-sent
 * ({@link InFlightPolicy#FAIL}): a {@code submit_sm} sent again is a second message.
 */
public final class SmppProtocol implements WireProtocol {

	/** The name in the {@code protocol} property. */
	public static final String NAME = "smpp";

	private final SmppSettings settings;

	private final SmppPayloadCodec codec = new SmppPayloadCodec();

	/**
	 * The binding with an endpoint's SMPP settings.
	 * @param settings the settings
	 */
	public SmppProtocol(SmppSettings settings) {
		this.settings = Objects.requireNonNull(settings, "settings");
	}

	/**
	 * @return the SMPP settings this binding binds and checks binds with
	 */
	public SmppSettings getSettings() {
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
		return Pairing.HANDSHAKE;
	}

	@Override
	public PayloadCodec getPayloadCodec() {
		return this.codec;
	}

	/**
	 * Checks that a client's link id can be a system_id: at most 15 characters of printable ASCII.
	 */
	@Override
	public void validate(EndpointSettings settings) {
		String linkId = settings.linkId();
		if (linkId != null) {
			if (linkId.isEmpty() || linkId.length() > SmppSettings.MAX_SYSTEM_ID_LENGTH
					|| !linkId.chars().allMatch((c) -> c >= 0x20 && c <= 0x7E)) {
				throw new IllegalArgumentException("link-id of endpoint '" + settings.name() + "' is the SMPP "
						+ "system_id: 1 to " + SmppSettings.MAX_SYSTEM_ID_LENGTH + " characters of printable ASCII, was '"
						+ linkId + "'");
			}
		}
	}

	@Override
	public void initConnection(Channel channel, ConnectionSetup setup) {
		channel.pipeline()
			.addLast("smpp-decoder", new PduDecoder(setup.endpoint().link().maxFrameSize()))
			.addLast("smpp", new SmppCodec());
	}

	@Override
	public ChannelHandler newClientHandshake(ClientHandshake handshake) {
		return new ClientBindHandler(handshake, this.settings);
	}

	@Override
	public ChannelHandler newServerHandshake(ServerHandshake handshake) {
		return new ServerBindHandler(handshake, this.settings);
	}

	@Override
	public String toString() {
		return "SMPP 3.4";
	}

}
