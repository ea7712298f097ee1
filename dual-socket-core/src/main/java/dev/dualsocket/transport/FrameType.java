package dev.dualsocket.transport;

import org.jspecify.annotations.Nullable;

/**
 * The kinds of frame, with their one-byte codes on the wire.
 */
public enum FrameType {

	/** First frame of every connection, client to server: version, channel, session, link id, token, fields. */
	HELLO(0x01),

	/** The server took the connection into a link. */
	HELLO_ACCEPT(0x02),

	/** The server refused the connection; carries a reason code and text. The server closes after sending it. */
	HELLO_REJECT(0x03),

	/** Version 2: the server asks a client that offered authentication to prove its secret against a fresh nonce. */
	HELLO_CHALLENGE(0x04),

	/** Version 2: the client's proof, the answer to a challenge. */
	HELLO_PROOF(0x05),

	/** A request; the id is the request id, the payload the application's bytes. */
	REQUEST(0x10),

	/** The response to the request with the same id. */
	RESPONSE(0x11),

	/** The request with the same id failed on the receiver; carries an error code and text. */
	ERROR(0x12),

	/** A heartbeat; the id is a nonce that the answer must echo. */
	HEARTBEAT(0x20),

	/** The answer to the heartbeat whose nonce it echoes. */
	HEARTBEAT_ACK(0x21),

	/** The sender is shutting down in order: send it no new requests; in-flight ones are still answered. */
	CLOSE(0x30),

	/** The sender pauses: it keeps the connections, runs nothing new until {@link #RESUME} (section 6.5, version 2). */
	QUIESCE(0x31),

	/** The sender goes on after a {@link #QUIESCE} (section 6.5, version 2). */
	RESUME(0x32);

	private static final @Nullable FrameType[] BY_CODE = new FrameType[256];

	static {
		for (FrameType type : values()) {
			BY_CODE[type.code] = type;
		}
	}

	private final int code;

	FrameType(int code) {
		this.code = code;
	}

	/**
	 * The code of this type on the wire.
	 * @return the code, 0-255
	 */
	public int code() {
		return this.code;
	}

	/**
	 * The type with the given wire code.
	 * @param code the code read from the wire, 0-255
	 * @return the type, or {@code null} if no type has that code
	 */
	public static @Nullable FrameType ofCode(int code) {
		return BY_CODE[code & 0xFF];
	}

}
