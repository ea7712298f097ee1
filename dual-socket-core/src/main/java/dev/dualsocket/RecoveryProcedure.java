package dev.dualsocket;

/**
 * The procedures that change a link's state: the four recovery procedures of Figs. 5-8 of the source patent, and
 * the establishment of a whole link that the product adds before and after them.
 */
public enum RecoveryProcedure {

	/** Fig. 5: the client's inbound socket failed. Probe outbound, then re-connect inbound. */
	CLIENT_INBOUND("Fig. 5"),

	/** Fig. 6: the client's outbound socket failed. Re-connect outbound (after a running procedure). */
	CLIENT_OUTBOUND("Fig. 6"),

	/** Fig. 7: the server's inbound socket failed. Probe outbound, then wait for the client to re-connect. */
	SERVER_INBOUND("Fig. 7"),

	/** Fig. 8: the server's outbound socket failed. Wait for the client to re-connect (after a running procedure). */
	SERVER_OUTBOUND("Fig. 8"),

	/** Connecting both sockets of a link: at start, and by a client after the link was disconnected. */
	LINK_ESTABLISHMENT("establishment");

	private final String figure;

	RecoveryProcedure(String figure) {
		this.figure = figure;
	}

	/**
	 * The figure of the source patent that the procedure follows, as it appears in logs.
	 * @return for example {@code "Fig. 5"}
	 */
	public String figure() {
		return this.figure;
	}

	/**
	 * The procedure for a failure of the given socket of an endpoint in the given role.
	 * @param role the endpoint's role
	 * @param socket the socket that failed
	 * @return the procedure that handles it
	 */
	public static RecoveryProcedure forFailure(EndpointRole role, SocketRole socket) {
		if (role == EndpointRole.CLIENT) {
			return (socket == SocketRole.INBOUND) ? CLIENT_INBOUND : CLIENT_OUTBOUND;
		}
		return (socket == SocketRole.INBOUND) ? SERVER_INBOUND : SERVER_OUTBOUND;
	}

}
