package dev.dualsocket.protocol;

import java.time.Duration;

import dev.dualsocket.endpoint.EndpointSettings;
import dev.dualsocket.transport.ChannelKind;
import dev.dualsocket.transport.HandshakeDecision;
import io.netty.channel.Channel;
import org.jspecify.annotations.Nullable;

/**
 * The server endpoint's side of one accepted connection's handshake, given to the binding's handler.
 */
public interface ServerHandshake {

	/**
	 * @return the settings of the endpoint that accepted the connection
	 */
	EndpointSettings endpoint();

	/**
	 * @return which of a link's connections this one is by the port it arrived on, where the protocol pairs by port;
	 * {@code null} where its handshake names it
	 */
	@Nullable ChannelKind channelByPort();

	/**
	 * @return how long the handshake may take; the handler closes the connection after it
	 */
	Duration timeout();

	/**
	 * Decides where the connection goes, once it passed every check of the protocol's handshake. Call on the
	 * connection's event loop. An accepted connection is attached by running {@link HandshakeDecision#attach()} right
	 * after the handler wrote its answer and before it flushes it; a refused one is answered and closed.
	 * @param channel the connection
	 * @param request what the handshake learned
	 * @return the decision
	 */
	HandshakeDecision decide(Channel channel, JoinRequest request);

	/**
	 * The connection is no longer in its handshake: it was decided, or it closed first. Call once.
	 */
	void finished();

}
