package dev.dualsocket.link;

import java.net.InetSocketAddress;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;

import dev.dualsocket.SocketRole;
import org.jspecify.annotations.Nullable;

/**
 * Connects one socket of a client's link: opens a TCP connection to the peer, sends the handshake and attaches the
 * accepted connection to the link with {@link Link#attach}. Blocks until then, at most for the connect timeout, and
 * no longer than until the procedure that asked for the connection is cancelled.
 */
@FunctionalInterface
public interface SocketConnector {

	/**
	 * Connects one socket.
	 * @param link the link
	 * @param socket which socket
	 * @param cancelled completes when the procedure making the connection is cancelled (the link was given up, or is
	 * closing): the wait must end then, with a {@link CancellationException}, and the connection be closed unless
	 * it was attached already. The thread is never interrupted.
	 * @throws CancellationException if {@code cancelled} completed before the connection was attached
	 * @throws Exception why the connection or its handshake failed
	 */
	void connect(Link link, SocketRole socket, CompletionStage<?> cancelled) throws Exception;

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

	/**
	 * The address a failure's diagnosis tries when the current one does not answer (seed 003): the one the link
	 * would move to next.
	 * @return the next standby address (the primary after the last standby), unresolved; {@code null} without
	 * standby addresses
	 */
	default @Nullable InetSocketAddress alternateAddress() {
		return null;
	}

}
