package dev.dualsocket.protocol;

import java.time.Duration;

import dev.dualsocket.SocketRole;
import dev.dualsocket.endpoint.EndpointSettings;
import io.netty.channel.Channel;
import org.jspecify.annotations.Nullable;

/**
 * The client endpoint's side of one connection's handshake, given to the binding's handler: what the connection is
 * for, and where the handler reports how it ended.
 */
public interface ClientHandshake {

	/**
	 * @return the settings of the endpoint that opens the connection
	 */
	EndpointSettings endpoint();

	/**
	 * @return the link the connection is for
	 */
	String linkId();

	/**
	 * @return the client's socket the connection is for
	 */
	SocketRole socket();

	/**
	 * @return the session the connection is for (this project's protocol names it in its {@code HELLO})
	 */
	long sessionId();

	/**
	 * @return the session's token, empty for the first connection of a new session
	 */
	byte[] sessionToken();

	/**
	 * @return the link's shared secret, or {@code null} when the endpoint does not authenticate by secret
	 */
	byte @Nullable [] secret();

	/**
	 * @return this instance's fencing epoch, or 0
	 */
	long epoch();

	/**
	 * @return how long the handshake may take; the endpoint closes the connection after it
	 */
	Duration timeout();

	/**
	 * The server accepted the connection: attaches it to its socket of the link. Call on the connection's event loop,
	 * after removing the handshake handler's hold on reads and before any frame after the handshake is handed on.
	 * @param channel the connection
	 * @param sessionToken the token the server gave the session, or {@code null} from a protocol without tokens
	 * @param serverEpoch the server instance's fencing epoch, or 0
	 * @throws RuntimeException if the connection cannot be attached (the link moved on, a stale server epoch); the
	 * handler then closes the connection. The endpoint has been told already
	 */
	void accepted(Channel channel, byte @Nullable [] sessionToken, long serverEpoch);

	/**
	 * The handshake failed: the server refused the connection, or it closed first. The handler closes the connection.
	 * @param cause why, for the endpoint's log and events (a {@link dev.dualsocket.transport.HandshakeRejectedException}
	 * for a refusal)
	 */
	void failed(Throwable cause);

}
