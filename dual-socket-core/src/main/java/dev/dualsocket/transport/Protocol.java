package dev.dualsocket.transport;

/**
 * Constants of the wire protocol.
 */
public final class Protocol {

	/** The protocol version this implementation speaks. */
	public static final int VERSION = 1;

	private Protocol() {
	}

}
