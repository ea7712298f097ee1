package dev.dualsocket.transport;

import java.nio.ByteBuffer;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The handshake a client sends first on every new connection (section 4.1 of the protocol).
 *
 * @param version the protocol version the client speaks: 1 or 2
 * @param channel which of the link's two connections this is
 * @param sessionId the client's id for this incarnation of the link; the server pairs connections with the same
 * link id and session, and a new session replaces an old one
 * @param linkId the name of the link, unique among the clients of one server endpoint
 * @param token the session's token from an earlier {@link HelloAccept} to join it; empty to open a new session
 * @param fields the field list of version 2 (capabilities, client nonce); {@link FieldList#EMPTY} in version 1
 */
public record Hello(int version, ChannelKind channel, long sessionId, String linkId, byte[] token, FieldList fields) {

	/** The longest link id, in bytes of UTF-8. */
	public static final int MAX_LINK_ID_LENGTH = 255;

	/**
	 * The longest frame a server reads before a connection's handshake completes (section 2 of the protocol): more
	 * than any {@code HELLO} needs, far less than a frame of {@code max-frame-size}.
	 */
	public static final int MAX_HELLO_LENGTH = 1024;

	/** The length of a session token, in bytes. */
	public static final int TOKEN_LENGTH = 16;

	/** Field key: the capabilities bit set, a u32. */
	public static final int FIELD_CAPABILITIES = 0x0001;

	/** Field key: the client's nonce, 16 bytes, present when it authenticates. */
	public static final int FIELD_CLIENT_NONCE = 0x0002;

	/** Capability bit: authentication by HMAC-SHA256 (section 4.5). */
	public static final int CAPABILITY_HMAC_SHA256 = 0x1;

	/** Capability bit: understands {@code QUIESCE} and {@code RESUME} (section 6.5); this implementation always does. */
	public static final int CAPABILITY_QUIESCE = 0x2;

	/**
	 * Capability bit: requests across sessions (section 6.6). In a {@code HELLO}: the client sends request keys to a
	 * server that offers them (this implementation always does); in a {@code HELLO_ACCEPT}: the server keeps the
	 * answers of keyed requests across sessions, in a store its instances share.
	 */
	public static final int CAPABILITY_REQUEST_KEYS = 0x4;

	/** Field key: the fencing epoch, a u64 (section 4.6); in a {@code HELLO} and a {@code HELLO_ACCEPT}. */
	public static final int FIELD_EPOCH = 0x0004;

	/** The field keys this implementation knows in a HELLO. */
	private static final Set<Integer> KNOWN_FIELDS = Set.of(FIELD_CAPABILITIES, FIELD_CLIENT_NONCE, FIELD_EPOCH);

	/**
	 * Checks the rules of section 4.1 of the protocol.
	 * @throws IllegalArgumentException naming the rule that is broken
	 */
	public Hello {
		if (version != 1 && version != Protocol.VERSION) {
			throw new IllegalArgumentException("version must be 1 or " + Protocol.VERSION + ", was " + version);
		}
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
		if (token.length != 0 && token.length != TOKEN_LENGTH) {
			throw new IllegalArgumentException(
					"session token must be empty or " + TOKEN_LENGTH + " bytes, was " + token.length);
		}
		if (version == 1 && !fields.isEmpty()) {
			throw new IllegalArgumentException("a version-1 HELLO has no field list");
		}
		checkLength(fields, FIELD_CAPABILITIES, 4, "capabilities");
		checkLength(fields, FIELD_CLIENT_NONCE, Authentication.NONCE_LENGTH, "client nonce");
		checkLength(fields, FIELD_EPOCH, 8, "epoch");
		if (epochOf(fields) < 0) {
			throw new IllegalArgumentException("epoch must be 1 to 2^63-1, was negative");
		}
	}

	private static void checkLength(FieldList fields, int key, int length, String name) {
		byte[] value = fields.get(key);
		if (value != null && value.length != length) {
			throw new IllegalArgumentException(name + " must be " + length + " bytes, was " + value.length);
		}
	}

	/**
	 * A version-2 HELLO.
	 * @param channel which connection
	 * @param sessionId the session id
	 * @param linkId the link id
	 * @param token the session token, or empty to open a session
	 * @param clientNonce the nonce of an authenticating client, or {@code null} when it does not authenticate
	 * @return the handshake
	 */
	public static Hello of(ChannelKind channel, long sessionId, String linkId, byte[] token,
			byte @Nullable [] clientNonce) {
		return of(channel, sessionId, linkId, token, clientNonce, 0);
	}

	/**
	 * A version-2 HELLO with a fencing epoch.
	 * @param channel which connection
	 * @param sessionId the session id
	 * @param linkId the link id
	 * @param token the session token, or empty to open a session
	 * @param clientNonce the nonce of an authenticating client, or {@code null} when it does not authenticate
	 * @param epoch the client instance's fencing epoch (section 4.6), or 0 to send none
	 * @return the handshake
	 */
	public static Hello of(ChannelKind channel, long sessionId, String linkId, byte[] token,
			byte @Nullable [] clientNonce, long epoch) {
		FieldList.Builder fields = FieldList.builder()
			.putInt(FIELD_CAPABILITIES, CAPABILITY_QUIESCE | CAPABILITY_REQUEST_KEYS
					| ((clientNonce != null) ? CAPABILITY_HMAC_SHA256 : 0));
		if (clientNonce != null) {
			fields.put(FIELD_CLIENT_NONCE, clientNonce);
		}
		if (epoch != 0) {
			fields.put(FIELD_EPOCH, ByteBuffer.allocate(8).putLong(epoch).array());
		}
		return new Hello(Protocol.VERSION, channel, sessionId, linkId, token, fields.build());
	}

	/**
	 * The fencing epoch the client instance holds (section 4.6).
	 * @return the epoch; 0 when the HELLO carries none
	 */
	public long epoch() {
		return epochOf(this.fields);
	}

	static long epochOf(FieldList fields) {
		byte[] value = fields.get(FIELD_EPOCH);
		return (value != null) ? ByteBuffer.wrap(value).getLong() : 0;
	}

	/**
	 * The capabilities the HELLO offers.
	 * @return the bit set; 0 in version 1 or when the field is absent
	 */
	public int capabilities() {
		byte[] value = this.fields.get(FIELD_CAPABILITIES);
		return (value != null) ? ByteBuffer.wrap(value).getInt() : 0;
	}

	/**
	 * The client's nonce.
	 * @return the nonce, or {@code null} if the client does not authenticate
	 */
	public byte @Nullable [] clientNonce() {
		return this.fields.get(FIELD_CLIENT_NONCE);
	}

	public Frame toFrame() {
		byte[] id = Wire.utf8(this.linkId);
		int fieldsLength = (this.version >= 2) ? this.fields.encodedLength() : 0;
		ByteBuffer buffer = ByteBuffer.allocate(2 + 1 + 8 + 2 + id.length + 2 + 2 + this.token.length + fieldsLength);
		buffer.putShort((short) this.version);
		buffer.put((byte) this.channel.code());
		buffer.putLong(this.sessionId);
		Wire.putShortBytes(buffer, id);
		Wire.putShortBytes(buffer, new byte[0]);
		Wire.putShortBytes(buffer, this.token);
		if (this.version >= 2) {
			this.fields.writeTo(buffer);
		}
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
	 * Parses a HELLO of version 1 or 2 and checks every rule of section 4.1 of the protocol.
	 * @param frame a HELLO frame
	 * @return the handshake
	 * @throws ProtocolViolationException naming what does not parse or which rule is broken
	 */
	public static Hello fromFrame(Frame frame) {
		ByteBuffer buffer = ByteBuffer.wrap(frame.payload());
		int version = Wire.getUnsignedShort(buffer, "version");
		if (version != 1 && version != Protocol.VERSION) {
			throw new ProtocolViolationException("malformed HELLO: unsupported version " + version);
		}
		ChannelKind channel = ChannelKind.ofCode(Wire.getUnsignedByte(buffer, "channel"));
		long sessionId = Wire.getLong(buffer, "session");
		String linkId = Wire.strictUtf8(Wire.getShortBytes(buffer, "link id"), "link id");
		byte[] credentials = Wire.getShortBytes(buffer, "credentials");
		byte[] token = Wire.getShortBytes(buffer, "token");
		if (credentials.length != 0) {
			throw new ProtocolViolationException("malformed HELLO: the credentials field is reserved and must be empty");
		}
		FieldList fields = FieldList.EMPTY;
		if (version >= 2) {
			fields = FieldList.readLast(buffer, "HELLO", KNOWN_FIELDS);
		}
		try {
			return new Hello(version, channel, sessionId, linkId, token, fields);
		}
		catch (IllegalArgumentException ex) {
			throw new ProtocolViolationException("malformed HELLO: " + ex.getMessage());
		}
	}

	@Override
	public String toString() {
		// The session id, the token and the nonce are secrets of the session: never in a log line.
		return "Hello[version=" + this.version + ", " + this.channel + ", link '" + this.linkId + "', "
				+ ((this.token.length == 0) ? "opening" : "joining") + "]";
	}

}
