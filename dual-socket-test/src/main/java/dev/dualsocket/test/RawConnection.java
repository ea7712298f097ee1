package dev.dualsocket.test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * A plain blocking socket that speaks the wire format by hand, byte by byte as {@code docs/PROTOCOL.md} describes
 * it, independent of the library's own codec: for tests of the protocol itself, and the framing under
 * {@link FakePeer}. Writes are atomic per frame, so several threads may write; reads belong to one thread.
 */
public final class RawConnection implements AutoCloseable {

	/** Frame type {@code HELLO}. */
	public static final int HELLO = 0x01;

	/** Frame type {@code HELLO_ACCEPT}. */
	public static final int HELLO_ACCEPT = 0x02;

	/** Frame type {@code HELLO_REJECT}. */
	public static final int HELLO_REJECT = 0x03;

	/** Frame type {@code HELLO_CHALLENGE} (version 2). */
	public static final int HELLO_CHALLENGE = 0x04;

	/** Frame type {@code HELLO_PROOF} (version 2). */
	public static final int HELLO_PROOF = 0x05;

	/** Frame type {@code REQUEST}. */
	public static final int REQUEST = 0x10;

	/** Frame type {@code RESPONSE}. */
	public static final int RESPONSE = 0x11;

	/** Frame type {@code ERROR}. */
	public static final int ERROR = 0x12;

	/** Frame type {@code HEARTBEAT}. */
	public static final int HEARTBEAT = 0x20;

	/** Frame type {@code HEARTBEAT_ACK}. */
	public static final int HEARTBEAT_ACK = 0x21;

	/** Frame type {@code CLOSE}. */
	public static final int CLOSE = 0x30;

	private static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(5);

	private final Socket socket;

	private final DataInputStream in;

	private final OutputStream out;

	/**
	 * Connects to a port on 127.0.0.1; reads time out after 5 s.
	 * @param port the port
	 * @throws IOException if the connection cannot be made
	 */
	public RawConnection(int port) throws IOException {
		this(new Socket(InetAddress.getLoopbackAddress(), port));
	}

	/**
	 * Speaks the wire format on a connection accepted elsewhere (a hand-written server); reads time out after 5 s.
	 * @param socket the connected socket
	 * @throws IOException if the socket is closed
	 */
	public RawConnection(Socket socket) throws IOException {
		this(socket, DEFAULT_READ_TIMEOUT);
	}

	/**
	 * Speaks the wire format on a connected socket.
	 * @param socket the connected socket
	 * @param readTimeout how long a read waits before it fails with a {@link SocketTimeoutException};
	 * {@link Duration#ZERO} to wait for ever
	 * @throws IOException if the socket is closed
	 */
	public RawConnection(Socket socket, Duration readTimeout) throws IOException {
		this.socket = socket;
		this.socket.setSoTimeout(Math.toIntExact(readTimeout.toMillis()));
		this.socket.setTcpNoDelay(true);
		this.in = new DataInputStream(this.socket.getInputStream());
		this.out = this.socket.getOutputStream();
	}

	/**
	 * Writes bytes as they are, framed or not.
	 * @param bytes the bytes
	 * @throws IOException if the connection is gone
	 */
	public synchronized void writeBytes(byte[] bytes) throws IOException {
		this.out.write(bytes);
		this.out.flush();
	}

	/**
	 * Writes one frame.
	 * @param type the frame type
	 * @param id the request id, heartbeat nonce or 0
	 * @param payload the payload
	 * @throws IOException if the connection is gone
	 */
	public void writeFrame(int type, long id, byte[] payload) throws IOException {
		ByteArrayOutputStream frame = new ByteArrayOutputStream(14 + payload.length);
		DataOutputStream data = new DataOutputStream(frame);
		data.writeInt(10 + payload.length);
		data.writeByte(type);
		data.writeByte(0);
		data.writeLong(id);
		data.write(payload);
		writeBytes(frame.toByteArray());
	}

	/**
	 * Writes a {@code HELLO} frame that opens a session (empty token).
	 * @param version protocol version
	 * @param channel 1 = client outbound, 2 = client inbound
	 * @param session the client's session id
	 * @param linkId the link id
	 * @throws IOException if the connection is gone
	 */
	public void writeHello(int version, int channel, long session, String linkId) throws IOException {
		writeHello(version, channel, session, linkId, new byte[0]);
	}

	/**
	 * Writes a {@code HELLO} frame that opens a session (empty token) or joins the session the token names.
	 * @param version protocol version
	 * @param channel 1 = client outbound, 2 = client inbound
	 * @param session the client's session id
	 * @param linkId the link id
	 * @param token the session token, or empty to open a session
	 * @throws IOException if the connection is gone
	 */
	public void writeHello(int version, int channel, long session, String linkId, byte[] token) throws IOException {
		byte[] id = linkId.getBytes(StandardCharsets.UTF_8);
		ByteBuffer payload = ByteBuffer.allocate(2 + 1 + 8 + 2 + id.length + 2 + 2 + token.length);
		payload.putShort((short) version).put((byte) channel).putLong(session).putShort((short) id.length).put(id);
		payload.putShort((short) 0).putShort((short) token.length).put(token);
		writeFrame(HELLO, 0, payload.array());
	}

	/**
	 * Writes a version-2 {@code HELLO} (section 4.1 of the protocol): capabilities, and a client nonce when given.
	 * @param channel 1 = client outbound, 2 = client inbound
	 * @param session the client's session id
	 * @param linkId the link id
	 * @param token the session token, or empty to open a session
	 * @param clientNonce 16 bytes to offer authentication, or {@code null}
	 * @return the payload written, which the proofs of section 4.5 cover
	 * @throws IOException if the connection is gone
	 */
	public byte[] writeHelloV2(int channel, long session, String linkId, byte[] token, byte @Nullable [] clientNonce)
			throws IOException {
		byte[] id = linkId.getBytes(StandardCharsets.UTF_8);
		int fields = 8 + ((clientNonce != null) ? 4 + clientNonce.length : 0);
		ByteBuffer payload = ByteBuffer.allocate(2 + 1 + 8 + 2 + id.length + 2 + 2 + token.length + 2 + fields);
		payload.putShort((short) 2).put((byte) channel).putLong(session).putShort((short) id.length).put(id);
		payload.putShort((short) 0).putShort((short) token.length).put(token);
		payload.putShort((short) fields).putShort((short) 1).putShort((short) 4).putInt((clientNonce != null) ? 1 : 0);
		if (clientNonce != null) {
			payload.putShort((short) 2).putShort((short) clientNonce.length).put(clientNonce);
		}
		writeFrame(HELLO, 0, payload.array());
		return payload.array();
	}

	/**
	 * Runs the whole authenticated handshake of section 4.5 of the protocol: a version-2 {@code HELLO} with a fresh
	 * nonce, then, if challenged, the proof of the given secret.
	 * @param channel 1 = client outbound, 2 = client inbound
	 * @param session the client's session id
	 * @param linkId the link id
	 * @param token the session token, or empty to open a session
	 * @param secret the secret to prove
	 * @return the server's answer: {@code HELLO_ACCEPT} or {@code HELLO_REJECT}
	 * @throws IOException if the connection is gone or the read timed out
	 */
	public RawFrame authenticate(int channel, long session, String linkId, byte[] token, byte[] secret)
			throws IOException {
		byte[] clientNonce = new byte[16];
		new SecureRandom().nextBytes(clientNonce);
		byte[] hello = writeHelloV2(channel, session, linkId, token, clientNonce);
		RawFrame answer = readFrame();
		if (answer.type() != HELLO_CHALLENGE) {
			return answer;
		}
		byte[] serverNonce = Arrays.copyOf(answer.payload(), 16);
		writeFrame(HELLO_PROOF, 0, hmacSha256(secret, "dual-socket client proof".getBytes(StandardCharsets.US_ASCII),
				serverNonce, clientNonce, hello));
		return readFrame();
	}

	/**
	 * HMAC-SHA256 over the concatenation of the parts, as the proofs of section 4.5 of the protocol are made.
	 * @param secret the key
	 * @param parts the data
	 * @return the 32-byte MAC
	 */
	public static byte[] hmacSha256(byte[] secret, byte[]... parts) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret, "HmacSHA256"));
			for (byte[] part : parts) {
				mac.update(part);
			}
			return mac.doFinal();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Writes a {@code HELLO_ACCEPT} frame for protocol version 1, as a server answers a {@code HELLO}.
	 * @param token the session's token
	 * @throws IOException if the connection is gone
	 */
	public void writeHelloAccept(byte[] token) throws IOException {
		writeHelloAccept(1, token);
	}

	/**
	 * Writes a {@code HELLO_ACCEPT} frame, as a server answers a {@code HELLO} of the same version; in version 2 with
	 * an empty field list (no capabilities, no server proof).
	 * @param version 1 or 2
	 * @param token the session's token
	 * @throws IOException if the connection is gone
	 */
	public void writeHelloAccept(int version, byte[] token) throws IOException {
		ByteBuffer payload = ByteBuffer.allocate(4 + token.length + ((version >= 2) ? 2 : 0));
		payload.putShort((short) version).putShort((short) token.length).put(token);
		if (version >= 2) {
			payload.putShort((short) 0);
		}
		writeFrame(HELLO_ACCEPT, 0, payload.array());
	}

	/**
	 * Writes a {@code HELLO_REJECT} frame.
	 * @param reason the reason code (section 4.3 of the protocol)
	 * @param text a sentence for the client's log
	 * @throws IOException if the connection is gone
	 */
	public void writeHelloReject(int reason, String text) throws IOException {
		writeFrame(HELLO_REJECT, 0, codeAndText(reason, text));
	}

	/**
	 * Writes an {@code ERROR} frame.
	 * @param id the request's id
	 * @param code the error code (section 6.2 of the protocol)
	 * @param message the error message
	 * @throws IOException if the connection is gone
	 */
	public void writeError(long id, int code, String message) throws IOException {
		writeFrame(ERROR, id, codeAndText(code, message));
	}

	private static byte[] codeAndText(int code, String text) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		return ByteBuffer.allocate(2 + bytes.length).putShort((short) code).put(bytes).array();
	}

	/**
	 * Reads frames until one of the given type, answering the peer's heartbeats on the way and skipping anything
	 * else.
	 * @param type the frame type to wait for
	 * @return the frame
	 * @throws IOException if the connection is gone or the read timed out
	 */
	public RawFrame readUntil(int type) throws IOException {
		while (true) {
			RawFrame frame = readFrame();
			if (frame.type() == type) {
				return frame;
			}
			if (frame.type() == HEARTBEAT) {
				writeFrame(HEARTBEAT_ACK, frame.id(), new byte[0]);
			}
		}
	}

	/**
	 * Reads the next frame.
	 * @return the frame
	 * @throws IOException if the connection is gone or the read timed out
	 */
	public RawFrame readFrame() throws IOException {
		int length = this.in.readInt();
		int type = this.in.readUnsignedByte();
		this.in.readUnsignedByte();
		long id = this.in.readLong();
		byte[] payload = new byte[length - 10];
		this.in.readFully(payload);
		return new RawFrame(type, id, payload);
	}

	/**
	 * Reads until the peer closes the connection.
	 * @return {@code true} if it closed (end of stream or reset) within the read timeout
	 * @throws IOException if reading fails otherwise
	 */
	public boolean closedByPeer() throws IOException {
		try {
			while (this.in.read() >= 0) {
				// drain whatever the peer sent before closing
			}
			return true;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (EOFException | SocketException ex) {
			return true;
		}
	}

	/**
	 * Closes the connection with a reset instead of an orderly close, as a network fault would.
	 */
	public void reset() {
		try {
			this.socket.setSoLinger(true, 0);
			this.socket.close();
		}
		catch (IOException ex) {
			// already gone
		}
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/**
	 * A frame as read off the wire.
	 *
	 * @param type the frame type
	 * @param id the frame's id field
	 * @param payload the payload
	 */
	public record RawFrame(int type, long id, byte[] payload) {

		/**
		 * The u16 at an offset of the payload.
		 * @param offset the offset
		 * @return the value
		 */
		public int unsignedShortAt(int offset) {
			return ByteBuffer.wrap(this.payload).getShort(offset) & 0xFFFF;
		}

		/**
		 * The bytes of a u16-length-prefixed field at an offset of the payload.
		 * @param offset the offset of the length
		 * @return the field's bytes
		 */
		public byte[] shortBytesAt(int offset) {
			int length = unsignedShortAt(offset);
			return Arrays.copyOfRange(this.payload, offset + 2, offset + 2 + length);
		}

		/**
		 * The payload as UTF-8 text.
		 * @return the text
		 */
		public String text() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

		/**
		 * Reads the payload as a {@code HELLO} (section 4.1 of the protocol).
		 * @return the fields
		 */
		public RawHello hello() {
			ByteBuffer buffer = ByteBuffer.wrap(this.payload);
			int version = buffer.getShort(0) & 0xFFFF;
			int channel = buffer.get(2) & 0xFF;
			long session = buffer.getLong(3);
			String linkId = new String(shortBytesAt(11), StandardCharsets.UTF_8);
			int credentialsAt = 13 + unsignedShortAt(11);
			int tokenAt = credentialsAt + 2 + unsignedShortAt(credentialsAt);
			byte[] token = (this.payload.length >= tokenAt + 2) ? shortBytesAt(tokenAt) : new byte[0];
			return new RawHello(version, channel, session, linkId, token);
		}

	}

	/**
	 * The fields of a {@code HELLO} frame.
	 *
	 * @param version the protocol version
	 * @param channel 1 = client outbound, 2 = client inbound
	 * @param session the client's session id
	 * @param linkId the link id
	 * @param token the session token; empty to open a session
	 */
	public record RawHello(int version, int channel, long session, String linkId, byte[] token) {
	}

}
