package dev.dualsocket.transport;

import dev.dualsocket.SocketRole;

/**
 * Which of a link's two connections a handshake opens, named from the client's side as on the wire.
 */
public enum ChannelKind {

	/** The connection on which the client sends requests: the client's outbound, the server's inbound socket. */
	CLIENT_OUTBOUND(1),

	/** The connection on which the server sends requests: the client's inbound, the server's outbound socket. */
	CLIENT_INBOUND(2);

	private final int code;

	ChannelKind(int code) {
		this.code = code;
	}

	int code() {
		return this.code;
	}

	static ChannelKind ofCode(int code) {
		for (ChannelKind kind : values()) {
			if (kind.code == code) {
				return kind;
			}
		}
		throw new ProtocolViolationException("unknown channel " + code + " in HELLO (1 = client outbound, 2 = client inbound)");
	}

	/**
	 * The connection that a client opens for one of its sockets.
	 * @param clientSocket the client's socket
	 * @return the channel kind
	 */
	public static ChannelKind ofClientSocket(SocketRole clientSocket) {
		return (clientSocket == SocketRole.OUTBOUND) ? CLIENT_OUTBOUND : CLIENT_INBOUND;
	}

	/**
	 * The server's socket that this connection is.
	 * @return {@link SocketRole#INBOUND} for {@link #CLIENT_OUTBOUND} and the reverse
	 */
	public SocketRole serverSocket() {
		return (this == CLIENT_OUTBOUND) ? SocketRole.INBOUND : SocketRole.OUTBOUND;
	}

}
