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

	public static HelloAccept fromFrame(Frame frame) {
		ByteBuffer buffer = ByteBuffer.wrap(frame.payload());
		return new HelloAccept(Wire.getUnsignedShort(buffer, "version"), Wire.getShortBytes(buffer, "token"));
	}

}
