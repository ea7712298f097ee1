package dev.dualsocket.link;

import dev.dualsocket.SocketFailure;
import dev.dualsocket.SocketRole;

/**
 * What a link does about its sockets: the role-specific half of a link ({@link ClientRecovery} or
 * {@link ServerRecovery}). The link calls it without holding its own lock.
 */
interface Recovery {

	/** The link was created: start establishing it (client) or wait for its second socket (server). */
	void start();

	/**
	 * A socket failed; it is already detached and closed.
	 * @param socket which one
	 * @param failure why
	 * @param session the link's session when it failed; the procedure acts only within it
	 */
	void socketFailed(SocketRole socket, SocketFailure failure, long session);

	/**
	 * A connection was attached to a socket.
	 * @param socket which one
	 */
	void socketAttached(SocketRole socket);

	/**
	 * The link went {@link dev.dualsocket.LinkState#DISCONNECTED}.
	 * @param change why
	 */
	void disconnected(StateChange change);

	/**
	 * An operator asked to drop the link and establish it anew.
	 * @param cause why, for the log and events
	 */
	void reconnect(String cause);

	/**
	 * What the link does after its peer closed it in order, for the log line of that change.
	 * @return for example {@code "re-establish the link in 5000 ms"}
	 */
	String planAfterPeerClosed();

	/**
	 * What the link does after it went disconnected for any other reason, for the log line of that change.
	 * @return for example {@code "re-establish the link in 5000 ms"}
	 */
	String planAfterDisconnect();

	/** The link is closing: stop every procedure, start none. */
	void stop();

}
