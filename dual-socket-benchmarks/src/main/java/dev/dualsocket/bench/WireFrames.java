package dev.dualsocket.bench;

/**
 * The dual-socket frame layout (docs/PROTOCOL.md, section 2), which the raw-socket and bare-Netty set-ups use too, so
 * that every set-up but Spring Integration's moves the same bytes: 4-byte length, type, flags, 8-byte id, payload.
 */
public final class WireFrames {

	public static final int PREFIX = 4;

	public static final int HEADER = 10;

	public static final byte REQUEST = 0x10;

	public static final byte RESPONSE = 0x11;

	/** Offset of the payload in an encoded frame. */
	public static final int PAYLOAD_OFFSET = PREFIX + HEADER;

	private WireFrames() {
	}

	public static int encodedLength(int payloadLength) {
		return PREFIX + HEADER + payloadLength;
	}

	/** Writes a request frame header for a payload of the given length into {@code buffer} at {@code offset}. */
	public static void writeHeader(byte[] buffer, int offset, byte type, long id, int payloadLength) {
		putInt(buffer, offset, HEADER + payloadLength);
		buffer[offset + 4] = type;
		buffer[offset + 5] = 0;
		putLong(buffer, offset + 6, id);
	}

	public static void putInt(byte[] buffer, int offset, int value) {
		buffer[offset] = (byte) (value >>> 24);
		buffer[offset + 1] = (byte) (value >>> 16);
		buffer[offset + 2] = (byte) (value >>> 8);
		buffer[offset + 3] = (byte) value;
	}

	public static int getInt(byte[] buffer, int offset) {
		return ((buffer[offset] & 0xff) << 24) | ((buffer[offset + 1] & 0xff) << 16) | ((buffer[offset + 2] & 0xff) << 8)
				| (buffer[offset + 3] & 0xff);
	}

	public static void putLong(byte[] buffer, int offset, long value) {
		for (int i = 7; i >= 0; i--) {
			buffer[offset + i] = (byte) value;
			value >>>= 8;
		}
	}

	public static long getLong(byte[] buffer, int offset) {
		long value = 0;
		for (int i = 0; i < 8; i++) {
			value = (value << 8) | (buffer[offset + i] & 0xff);
		}
		return value;
	}

}
