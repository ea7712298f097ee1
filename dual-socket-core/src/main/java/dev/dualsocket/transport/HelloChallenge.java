package dev.dualsocket.transport;

import java.nio.ByteBuffer;
import java.util.Set;

/**
 * The server's answer to a {@link Hello} that offers authentication: a nonce drawn for this connection alone, which
 * the client's {@link HelloProof} must cover (section 4.5 of the protocol).
 *
 * @param serverNonce 16 random bytes
 * @param fields a field list; no key is defined yet
 */
public record HelloChallenge(byte[] serverNonce, FieldList fields) {

	public HelloChallenge {
		if (serverNonce.length != Authentication.NONCE_LENGTH) {
			throw new IllegalArgumentException(
					"server nonce must be " + Authentication.NONCE_LENGTH + " bytes, was " + serverNonce.length);
		}
	}

	public Frame toFrame() {
		ByteBuffer buffer = ByteBuffer.allocate(this.serverNonce.length + this.fields.encodedLength());
		buffer.put(this.serverNonce);
		this.fields.writeTo(buffer);
		return new Frame(FrameType.HELLO_CHALLENGE, 0, buffer.array());
	}

	/**
	 * Parses a HELLO_CHALLENGE.
	 * @param frame a HELLO_CHALLENGE frame
	 * @return the challenge
	 * @throws ProtocolViolationException if it breaks a rule of section 3.1
	 */
	public static HelloChallenge fromFrame(Frame frame) {
		ByteBuffer buffer = ByteBuffer.wrap(frame.payload());
		if (buffer.remaining() < Authentication.NONCE_LENGTH) {
			throw new ProtocolViolationException("HELLO_CHALLENGE ends before its " + Authentication.NONCE_LENGTH
					+ "-byte nonce");
		}
		byte[] nonce = new byte[Authentication.NONCE_LENGTH];
		buffer.get(nonce);
		// No key is defined for a challenge yet: every critical one is unknown.
		return new HelloChallenge(nonce, FieldList.readLast(buffer, "HELLO_CHALLENGE", Set.of()));
	}

	@Override
	public String toString() {
		return "HelloChallenge";
	}

}
