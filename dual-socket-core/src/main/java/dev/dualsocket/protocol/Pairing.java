package dev.dualsocket.protocol;

/**
 * How a server knows which link, and which of its two sockets, a new connection is.
 */
public enum Pairing {

	/**
	 * The connection's handshake names both (this project's {@code HELLO}; SMPP's bind, whose system id names the
	 * link and whose kind names the socket). The server listens on one port.
	 */
	HANDSHAKE,

	/**
	 * The port the connection arrives on names the socket, and the link is the endpoint's one configured link id
	 * (ISO 8583 host links without a sign-on): the server listens on {@code port} for the client's outbound
	 * connection and on {@code inbound-port} for its inbound one.
	 */
	PORT

}
