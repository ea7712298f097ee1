package dev.dualsocket;

/**
 * What made a socket fail (claims 5, 6, 11 and 12 of the source patent, plus protocol errors).
 */
public enum FailureCause {

	/** The operating system reported an I/O error, such as a connection reset or abort. */
	IO_ERROR,

	/** The peer closed the connection without saying it was shutting down. */
	END_OF_STREAM,

	/** A heartbeat got no answer echoing its nonce within the heartbeat timeout. */
	HEARTBEAT_TIMEOUT,

	/** Nothing at all arrived on the socket for the heartbeat timeout: a black-holed connection. */
	SILENCE,

	/** The network interface that carries the socket went down or lost the socket's address. */
	INTERFACE_DOWN,

	/** The peer sent something the protocol does not allow. */
	PROTOCOL_ERROR,

	/** The peer said it was shutting down, then closed the connection: an orderly close, not a failure. */
	PEER_CLOSED;

	/**
	 * The cause in lower case with spaces, as it appears in logs and metrics tags.
	 * @return for example {@code "heartbeat timeout"}
	 */
	public String label() {
		return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
	}

}
