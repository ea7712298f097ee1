package dev.dualsocket.iso8583;

import io.netty.buffer.ByteBuf;

import dev.dualsocket.transport.ProtocolViolationException;

/**
 * The length header in front of each ISO 8583 message on the wire: it counts the bytes of the packed message that
 * follows, itself not included. No TPDU or other header is read or written between it and the message.
 */
public enum LengthHeader {

	/**
	 * Two bytes, an unsigned big-endian binary length (up to 65,535): what jPOS's {@code PostChannel} reads and writes,
	 * and {@code NACChannel} without a TPDU header.
	 */
	BINARY_2(2, 0xFFFF),

	/** Four ASCII digits, {@code "0000"} to {@code "9999"}: what jPOS's {@code ASCIIChannel} reads and writes. */
	ASCII_4(4, 9999);

	private final int bytes;

	private final int maxLength;

	LengthHeader(int bytes, int maxLength) {
		this.bytes = bytes;
		this.maxLength = maxLength;
	}

	/**
	 * @return the bytes of the header itself
	 */
	public int bytes() {
		return this.bytes;
	}

	/**
	 * @return the longest message the header can announce
	 */
	public int maxLength() {
		return this.maxLength;
	}

	/**
	 * Reads the length a header announces, without moving the buffer's reader index.
	 * @param in a buffer with at least {@link #bytes()} readable bytes
	 * @return the length of the message that follows
	 * @throws ProtocolViolationException if an ASCII header holds anything but digits
	 */
	int peek(ByteBuf in) {
		int at = in.readerIndex();
		if (this == BINARY_2) {
			return in.getUnsignedShort(at);
		}
		int length = 0;
		for (int i = 0; i < this.bytes; i++) {
			byte digit = in.getByte(at + i);
			if (digit < '0' || digit > '9') {
				throw new ProtocolViolationException(String.format(
						"the 4-digit ASCII length header holds byte 0x%02x at position %d, not a digit", digit & 0xFF, i));
			}
			length = length * 10 + (digit - '0');
		}
		return length;
	}

	/**
	 * Writes the header for a message of the given length.
	 * @param out the buffer
	 * @param length the message's length, at most {@link #maxLength()}
	 */
	void write(ByteBuf out, int length) {
		if (length < 0 || length > this.maxLength) {
			throw new IllegalArgumentException(
					"a " + name() + " length header holds 0 to " + this.maxLength + ", not " + length);
		}
		if (this == BINARY_2) {
			out.writeShort(length);
		}
		else {
			out.writeCharSequence(String.format("%04d", length), java.nio.charset.StandardCharsets.US_ASCII);
		}
	}

}
