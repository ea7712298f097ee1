package dev.dualsocket.transport;

import java.nio.ByteBuffer;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The server's answer to a {@link Hello} that it took into a link (section 4.2 of the protocol).
 *
 * @param version the protocol version both sides speak on this connection: the client's
 * @param token the session's token, which the client presents on every later connection of the session
 * @param fields the field list of version 2 (capabilities, server proof); {@link FieldList#EMPTY} in version 1
 */
public record HelloAccept(int version, byte[] token, FieldList fields) {

	/** Field key: the server's proof, 32 bytes, present when the connection was authenticated by HMAC. */
	public static final int FIELD_SERVER_PROOF = 0x0003;

	private static final Set<Integer> KNOWN_FIELDS = Set.of(Hello.FIELD_CAPABILITIES, FIELD_SERVER_PROOF,
			Hello.FIELD_EPOCH);

	/**
	 * The answer to a HELLO, in the HELLO's version.
	 * @param hello the client's handshake
	 * @param token the session's token
	 * @param serverProof the server's proof, or {@code null} when the connection was not authenticated by HMAC
	 * @return the answer
	 */
	public static HelloAccept answering(Hello hello, byte[] token, byte @Nullable [] serverProof) {
		return answering(hello, token, serverProof, 0, false);
	}

	/**
	 * The answer to a HELLO, in the HELLO's version, from a server that may run as one of several instances.
	 * @param hello the client's handshake
	 * @param token the session's token
	 * @param serverProof the server's proof, or {@code null} when the connection was not authenticated by HMAC
	 * @param epoch the server instance's fencing epoch (section 4.6), or 0 to send none
	 * @param keepsAnswers whether the server keeps the answers of keyed requests across sessions (section 6.6)
	 * @return the answer
	 */
	public static HelloAccept answering(Hello hello, byte[] token, byte @Nullable [] serverProof, long epoch,
			boolean keepsAnswers) {
		if (hello.version() < 2) {
			return new HelloAccept(hello.version(), token, FieldList.EMPTY);
		}
		FieldList.Builder fields = FieldList.builder().putInt(Hello.FIELD_CAPABILITIES,
				Hello.CAPABILITY_HMAC_SHA256 | Hello.CAPABILITY_QUIESCE
						| (keepsAnswers ? Hello.CAPABILITY_REQUEST_KEYS : 0));
		if (serverProof != null) {
			fields.put(FIELD_SERVER_PROOF, serverProof);
		}
		if (epoch != 0) {
			fields.put(Hello.FIELD_EPOCH, ByteBuffer.allocate(8).putLong(epoch).array());
		}
		return new HelloAccept(hello.version(), token, fields.build());
	}

	/**
	 * The fencing epoch the server instance holds (section 4.6).
	 * @return the epoch; 0 when the answer carries none
	 */
	public long epoch() {
		return Hello.epochOf(this.fields);
	}

	/**
	 * The capabilities the server offers.
	 * @return the bit set; 0 in version 1 or when the field is absent
	 */
	public int capabilities() {
		byte[] value = this.fields.get(Hello.FIELD_CAPABILITIES);
		return (value != null) ? ByteBuffer.wrap(value).getInt() : 0;
	}

	/**
	 * The server's proof.
	 * @return the proof, or {@code null} if the answer carries none
	 */
	public byte @Nullable [] serverProof() {
		return this.fields.get(FIELD_SERVER_PROOF);
	}

	public Frame toFrame() {
		int fieldsLength = (this.version >= 2) ? this.fields.encodedLength() : 0;
		ByteBuffer buffer = ByteBuffer.allocate(2 + 2 + this.token.length + fieldsLength);
		buffer.putShort((short) this.version);
		Wire.putShortBytes(buffer, this.token);
		if (this.version >= 2) {
			this.fields.writeTo(buffer);
		}
		return new Frame(FrameType.HELLO_ACCEPT, 0, buffer.array());
	}

	/**
	 * Parses a HELLO_ACCEPT, whose token must be {@value Hello#TOKEN_LENGTH} bytes.
	 * @param frame a HELLO_ACCEPT frame
	 * @return the answer
	 * @throws ProtocolViolationException if it does not parse or breaks a rule of section 4.2
	 */
	public static HelloAccept fromFrame(Frame frame) {
		ByteBuffer buffer = ByteBuffer.wrap(frame.payload());
		int version = Wire.getUnsignedShort(buffer, "version");
		byte[] token = Wire.getShortBytes(buffer, "token");
		if (token.length != Hello.TOKEN_LENGTH) {
			throw new ProtocolViolationException(
					"HELLO_ACCEPT token must be " + Hello.TOKEN_LENGTH + " bytes, was " + token.length);
		}
		FieldList fields = FieldList.EMPTY;
		if (version >= 2) {
			fields = FieldList.readLast(buffer, "HELLO_ACCEPT", KNOWN_FIELDS);
			byte[] proof = fields.get(FIELD_SERVER_PROOF);
			if (proof != null && proof.length != Authentication.PROOF_LENGTH) {
				throw new ProtocolViolationException(
						"server proof must be " + Authentication.PROOF_LENGTH + " bytes, was " + proof.length);
			}
			byte[] epoch = fields.get(Hello.FIELD_EPOCH);
			if (epoch != null && epoch.length != 8) {
				throw new ProtocolViolationException("epoch must be 8 bytes, was " + epoch.length);
			}
		}
		return new HelloAccept(version, token, fields);
	}

	@Override
	public String toString() {
		return "HelloAccept[version=" + this.version + "]";
	}

}
