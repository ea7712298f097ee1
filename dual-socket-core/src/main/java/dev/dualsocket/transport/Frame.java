package dev.dualsocket.transport;

/**
 * One frame: a type, a 64-bit id (request id, heartbeat nonce, or zero), header fields (version 2, section 2.1 of the
 * protocol) and a payload.
 *
 * @param type the kind of frame
 * @param id the request id, the heartbeat nonce, or zero
 * @param payload the payload; never {@code null}, possibly empty
 * @param fields the header fields; {@link FieldList#EMPTY} when none. Only ever non-empty on a connection whose
 * handshake agreed on version 2
 */
public record Frame(FrameType type, long id, byte[] payload, FieldList fields) {

	private static final byte[] EMPTY = new byte[0];

	/** Bytes of the header after the length prefix: type, flags, id. */
	public static final int HEADER_LENGTH = 1 + 1 + 8;

	/** Bytes of the length prefix. */
	public static final int LENGTH_PREFIX = 4;

	/** The flag that says header fields precede the payload. */
	public static final int FLAG_FIELDS = 0x01;

	/**
	 * A frame without header fields.
	 * @param type the kind of frame
	 * @param id the request id, the heartbeat nonce, or zero
	 * @param payload the payload
	 */
	public Frame(FrameType type, long id, byte[] payload) {
		this(type, id, payload, FieldList.EMPTY);
	}

	public static Frame request(long id, byte[] payload) {
		return new Frame(FrameType.REQUEST, id, payload);
	}

	public static Frame response(long id, byte[] payload) {
		return new Frame(FrameType.RESPONSE, id, payload);
	}

	public static Frame heartbeat(long nonce, byte[] payload) {
		return new Frame(FrameType.HEARTBEAT, nonce, payload);
	}

	public static Frame heartbeatAck(long nonce) {
		return new Frame(FrameType.HEARTBEAT_ACK, nonce, EMPTY);
	}

	public static Frame close(String reason) {
		return close(0, reason);
	}

	/**
	 * A {@code CLOSE} (section 7 of the protocol).
	 * @param lastServed the last request id of the peer still served, to a peer that understands quiesce; else 0
	 * @param reason why, for the peer's log
	 * @return the frame
	 */
	public static Frame close(long lastServed, String reason) {
		return new Frame(FrameType.CLOSE, lastServed, Wire.utf8(reason));
	}

	/**
	 * A {@code QUIESCE} (section 6.5 of the protocol).
	 * @param lastServed the last request id of the peer that the sender still serves now
	 * @param reason why, for the peer's log
	 * @return the frame
	 */
	public static Frame quiesce(long lastServed, String reason) {
		return new Frame(FrameType.QUIESCE, lastServed, Wire.utf8(reason));
	}

	/**
	 * A {@code RESUME} (section 6.5 of the protocol).
	 * @param reason why, for the peer's log
	 * @return the frame
	 */
	public static Frame resume(String reason) {
		return new Frame(FrameType.RESUME, 0, Wire.utf8(reason));
	}

	/**
	 * Size of this frame on the wire, length prefix included.
	 * @return the encoded size in bytes
	 */
	public int encodedLength() {
		return LENGTH_PREFIX + HEADER_LENGTH + (this.fields.isEmpty() ? 0 : this.fields.encodedLength())
				+ this.payload.length;
	}

	@Override
	public String toString() {
		return this.type + "[id=" + this.id + ", " + this.payload.length + " bytes]";
	}

}
