package dev.dualsocket;

/**
 * The two sockets of a link, named from the side of the host that holds them.
 *
 * <p>The client's outbound socket and the server's inbound socket are the two ends of one TCP connection; so are
 * the client's inbound socket and the server's outbound socket.
 */
public enum SocketRole {

	/** The socket on which this host sends requests and reads their responses (the patent's "send" socket). */
	OUTBOUND,

	/** The socket on which the peer sends requests and this host answers them (the patent's "receive" socket). */
	INBOUND;

	/**
	 * The other socket of the same link.
	 * @return {@link #INBOUND} for {@link #OUTBOUND} and the reverse
	 */
	public SocketRole other() {
		return (this == OUTBOUND) ? INBOUND : OUTBOUND;
	}

	/**
	 * The role in lower case, as it appears in logs, metrics tags and health details.
	 * @return {@code "outbound"} or {@code "inbound"}
	 */
	public String label() {
		return (this == OUTBOUND) ? "outbound" : "inbound";
	}

}
