package dev.dualsocket.transport;

import java.nio.ByteBuffer;

/**
 * The server's answer to a {@link Hello} that it took into a link.
 *
 * @param version the protocol version both sides speak on this connection
 * @param token a per-link token the client may present in later handshakes; empty when none
 */
public record HelloAccept(int version, byte[] token) {

	public Frame toFrame() {
		ByteBuffer buffer = ByteBuffer.allocate(2 + 2 + this.token.length);
		buffer.putShort((short) this.version);
		Wire.putShortBytes(buffer, this.token);
		return new Frame(FrameType.HELLO_ACCEPT, 0, buffer.array());
	}

	/**
	 * Parses a HELLO_ACCEPT, whose token must be {@value Hello#TOKEN_LENGTH} bytes.
	 * @param frame a HELLO_ACCEPT frame
	 * @return the answer
	 * @throws ProtocolViolationException if it does not parse or its token has another length
	 */
	public static HelloAccept fromFrame(Frame frame) {
		ByteBuffer buffer = ByteBuffer.wrap(frame.payload());
		int version = Wire.getUnsignedShort(buffer, "version");
		byte[] token = Wire.getShortBytes(buffer, "token");
		if (token.length != Hello.TOKEN_LENGTH) {
			throw new ProtocolViolationException(
					"HELLO_ACCEPT token must be " + Hello.TOKEN_LENGTH + " bytes, was " + token.length);
		}
		return new HelloAccept(version, token);
	}

}
