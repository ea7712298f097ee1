package dev.dualsocket.transport;

import java.nio.ByteBuffer;

/**
 * The handshake a client sends first on every new connection.
 *
 * @param version the protocol version the client speaks
 * @param channel which of the link's two connections this is
 * @param sessionId the client's id for this incarnation of the link; the server pairs connections with the same
 * link id and session, and a new session replaces an old one
 * @param linkId the name of the link, unique among the clients of one server endpoint
 * @param credentials proof of the client's identity; empty when none is configured
 * @param token a per-link token from an earlier {@link HelloAccept}; empty when none
 */
public record Hello(int version, ChannelKind channel, long sessionId, String linkId, byte[] credentials, byte[] token) {

	/** The longest link id, in bytes of UTF-8. */
	public static final int MAX_LINK_ID_LENGTH = 255;

	/**
	 * The longest frame a server reads before a connection's handshake completes (section 2 of the protocol): more
	 * than any {@code HELLO} needs, far less than a frame of {@code max-frame-size}.
	 */
	public static final int MAX_HELLO_LENGTH = 1024;

	/** The length of a session token, in bytes. */
	public static final int TOKEN_LENGTH = 16;

	/**
	 * Checks the rules of section 4.1 of the protocol.
	 * @throws IllegalArgumentException naming the rule that is broken
	 */
	public Hello {
		if (sessionId == 0) {
			throw new IllegalArgumentException("session 0 is not a session");
		}
		byte[] id = Wire.utf8(linkId);
		if (id.length == 0 || id.length > MAX_LINK_ID_LENGTH) {
			throw new IllegalArgumentException(
					"link id must be 1 to " + MAX_LINK_ID_LENGTH + " bytes of UTF-8, was " + id.length);
		}
		for (int i = 0; i < linkId.length(); i++) {
			if (Character.isISOControl(linkId.charAt(i))) {
				throw new IllegalArgumentException(String.format("link id holds the control character U+%04X at %d",
						(int) linkId.charAt(i), i));
			}
		}
		Wire.checkShortField("credentials", credentials);
		if (token.length != 0 && token.length != TOKEN_LENGTH) {
			throw new IllegalArgumentException(
					"session token must be empty or " + TOKEN_LENGTH + " bytes, was " + token.length);
		}
	}

	public Frame toFrame() {
		byte[] id = Wire.utf8(this.linkId);
		ByteBuffer buffer = ByteBuffer
			.allocate(2 + 1 + 8 + 2 + id.length + 2 + this.credentials.length + 2 + this.token.length);
		buffer.putShort((short) this.version);
		buffer.put((byte) this.channel.code());
		buffer.putLong(this.sessionId);
		Wire.putShortBytes(buffer, id);
		Wire.putShortBytes(buffer, this.credentials);
		Wire.putShortBytes(buffer, this.token);
		return new Frame(FrameType.HELLO, 0, buffer.array());
	}

	/**
	 * Reads the version, the first field of every HELLO, so that a server can refuse a version it does not know
	 * before it parses anything else.
	 * @param frame a HELLO frame
	 * @return the version the client speaks
	 */
	public static int versionOf(Frame frame) {
		return Wire.getUnsignedShort(ByteBuffer.wrap(frame.payload()), "version");
	}

	/**
	 * Parses a HELLO and checks every rule of section 4.1 of the protocol.
	 * @param frame a HELLO frame
	 * @return the handshake
	 * @throws ProtocolViolationException naming what does not parse or which rule is broken
	 */
	public static Hello fromFrame(Frame frame) {
		ByteBuffer buffer = ByteBuffer.wrap(frame.payload());
		int version = Wire.getUnsignedShort(buffer, "version");
		ChannelKind channel = ChannelKind.ofCode(Wire.getUnsignedByte(buffer, "channel"));
		long sessionId = Wire.getLong(buffer, "session");
		String linkId = Wire.strictUtf8(Wire.getShortBytes(buffer, "link id"), "link id");
		byte[] credentials = Wire.getShortBytes(buffer, "credentials");
		byte[] token = Wire.getShortBytes(buffer, "token");
		try {
			return new Hello(version, channel, sessionId, linkId, credentials, token);
		}
		catch (IllegalArgumentException ex) {
			throw new ProtocolViolationException("malformed HELLO: " + ex.getMessage());
		}
	}

}
