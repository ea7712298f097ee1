package dev.dualsocket;

import java.util.Locale;

/**
 * The limits an endpoint enforces so that one peer or one caller cannot grow this side's memory, connections or work
 * without bound. Each closes or refuses only the offender; a
 * {@link dev.dualsocket.event.LimitExceededEvent} says which limit did it.
 */
public enum Limit {

	/** {@code max-links}: a server refused a new link with {@code LINK_LIMIT}. */
	LINKS,

	/**
	 * {@code max-pending-handshakes}: a server closed a new connection at once, since too many others had not yet
	 * sent their {@code HELLO}.
	 */
	PENDING_HANDSHAKES,

	/**
	 * {@code max-connections-per-address}: a server closed a new connection at once, since its remote address
	 * already had that many open.
	 */
	CONNECTIONS_PER_ADDRESS,

	/** More than 50 {@code HEARTBEAT}s within one second on one connection (protocol section 5): it was closed. */
	HEARTBEAT_RATE,

	/**
	 * A frame longer than 1024 bytes before the connection's handshake completed (protocol section 2): the connection
	 * was closed.
	 */
	HANDSHAKE_FRAME_SIZE,

	/** {@code max-frame-size}: the peer sent a longer frame, and the connection was closed. */
	FRAME_SIZE,

	/**
	 * {@code max-requests-in-flight}: a request was refused at the caller, unsent, since the link already had that
	 * many awaiting their answers.
	 */
	REQUESTS_IN_FLIGHT;

	/**
	 * The limit as it appears in metrics tags: lower case, hyphenated.
	 * @return for example {@code "connections-per-address"}
	 */
	public String label() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
