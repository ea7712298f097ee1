package dev.dualsocket.link;

import dev.dualsocket.SocketRole;

/**
 * Connects one socket of a client's link: opens a TCP connection to the peer, sends the handshake and attaches the
 * accepted connection to the link with {@link Link#attach}. Blocks until then, at most for the connect timeout.
 */
@FunctionalInterface
public interface SocketConnector {

	/**
	 * Connects one socket.
	 * @param link the link
	 * @param socket which socket
	 * @throws Exception why the connection or its handshake failed
	 */
	void connect(Link link, SocketRole socket) throws Exception;

	/**
	 * Whether there are standby addresses to move to when the current one is lost.
	 * @return {@code true} if there are
	 */
	default boolean hasStandby() {
		return false;
	}

	/**
	 * Moves to the next address (the primary after the last standby). Called when establishing the link at the
	 * current address failed, or the link was lost there.
	 */
	default void moveToNextAddress() {
	}

}
