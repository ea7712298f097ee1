package dev.dualsocket.transport;

/**
 * Constants of the wire protocol.
 */
public final class Protocol {

	/** The protocol version this implementation speaks, and sends as a client. */
	public static final int VERSION = 2;

	/** The oldest version a server still accepts, from a client that does not authenticate. */
	public static final int OLDEST_VERSION = 1;

	private Protocol() {
	}

}
