package dev.dualsocket.test;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A plain blocking socket that speaks the wire format by hand, byte by byte as {@code docs/PROTOCOL.md} describes
 * it, independent of the library's own codec.
 */
public final class RawConnection implements AutoCloseable {

	private final Socket socket;

	private final DataInputStream in;

	private final DataOutputStream out;

	public RawConnection(int port) throws IOException {
		this(new Socket(InetAddress.getLoopbackAddress(), port));
	}

	/**
	 * Speaks the wire format on a connection accepted elsewhere (a hand-written server).
	 */
	public RawConnection(Socket socket) throws IOException {
		this.socket = socket;
		this.socket.setSoTimeout(5000);
		this.in = new DataInputStream(this.socket.getInputStream());
		this.out = new DataOutputStream(this.socket.getOutputStream());
	}

	public void writeBytes(byte[] bytes) throws IOException {
		this.out.write(bytes);
		this.out.flush();
	}

	public void writeFrame(int type, long id, byte[] payload) throws IOException {
		this.out.writeInt(10 + payload.length);
		this.out.writeByte(type);
		this.out.writeByte(0);
		this.out.writeLong(id);
		this.out.write(payload);
		this.out.flush();
	}

	/**
	 * Writes a HELLO frame.
	 * @param version protocol version
	 * @param channel 1 = client outbound, 2 = client inbound
	 */
	public void writeHello(int version, int channel, long session, String linkId) throws IOException {
		writeHello(version, channel, session, linkId, new byte[0]);
	}

	/**
	 * Writes a HELLO frame that opens a session (empty token) or joins the session the token names.
	 */
	public void writeHello(int version, int channel, long session, String linkId, byte[] token) throws IOException {
		byte[] id = linkId.getBytes(StandardCharsets.UTF_8);
		ByteBuffer payload = ByteBuffer.allocate(2 + 1 + 8 + 2 + id.length + 2 + 2 + token.length);
		payload.putShort((short) version).put((byte) channel).putLong(session).putShort((short) id.length).put(id);
		payload.putShort((short) 0).putShort((short) token.length).put(token);
		writeFrame(0x01, 0, payload.array());
	}

	/**
	 * Reads frames until one of the given type, answering the peer's heartbeats on the way and skipping anything
	 * else.
	 */
	public RawFrame readUntil(int type) throws IOException {
		while (true) {
			RawFrame frame = readFrame();
			if (frame.type() == type) {
				return frame;
			}
			if (frame.type() == 0x20) {
				writeFrame(0x21, frame.id(), new byte[0]);
			}
		}
	}

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
	 * @return {@code true} if it closed (end of stream or reset) within the socket timeout
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

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/**
	 * A frame as read off the wire.
	 */
	public record RawFrame(int type, long id, byte[] payload) {

		public int unsignedShortAt(int offset) {
			return ByteBuffer.wrap(this.payload).getShort(offset) & 0xFFFF;
		}

		/** The bytes of a u16-length-prefixed field at the offset. */
		public byte[] shortBytesAt(int offset) {
			int length = unsignedShortAt(offset);
			return java.util.Arrays.copyOfRange(this.payload, offset + 2, offset + 2 + length);
		}

		public String text() {
			return new String(this.payload, StandardCharsets.UTF_8);
		}

	}

}
