package dev.dualsocket.transport;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Reading and writing the small fields that frame payloads are made of: big-endian integers, and byte strings and
 * UTF-8 strings prefixed with their 16-bit length.
 */
final class Wire {

	static final int MAX_SHORT_FIELD = 0xFFFF;

	private Wire() {
	}

	static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	static String utf8(ByteBuffer buffer) {
		byte[] bytes = new byte[buffer.remaining()];
		buffer.get(bytes);
		return new String(bytes, StandardCharsets.UTF_8);
	}

	/**
	 * Decodes UTF-8 that must be valid: a field that names something, unlike text for logs.
	 * @throws ProtocolViolationException if it is not
	 */
	static String strictUtf8(byte[] bytes, String field) {
		if (isAscii(bytes)) {
			// Valid UTF-8 as it is, and what names (link ids) nearly always are: no decoder needed.
			return new String(bytes, StandardCharsets.US_ASCII);
		}
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new ProtocolViolationException(field + " is not valid UTF-8");
		}
	}

	private static boolean isAscii(byte[] bytes) {
		for (byte b : bytes) {
			if (b < 0) {
				return false;
			}
		}
		return true;
	}

	static void putShortBytes(ByteBuffer buffer, byte[] bytes) {
		buffer.putShort((short) bytes.length);
		buffer.put(bytes);
	}

	static byte[] getShortBytes(ByteBuffer buffer, String field) {
		int length = getUnsignedShort(buffer, field);
		if (buffer.remaining() < length) {
			throw new ProtocolViolationException(
					field + " declares " + length + " bytes but only " + buffer.remaining() + " follow");
		}
		byte[] bytes = new byte[length];
		buffer.get(bytes);
		return bytes;
	}

	static int getUnsignedShort(ByteBuffer buffer, String field) {
		try {
			return Short.toUnsignedInt(buffer.getShort());
		}
		catch (BufferUnderflowException ex) {
			throw truncated(field);
		}
	}

	static int getUnsignedByte(ByteBuffer buffer, String field) {
		try {
			return Byte.toUnsignedInt(buffer.get());
		}
		catch (BufferUnderflowException ex) {
			throw truncated(field);
		}
	}

	static long getLong(ByteBuffer buffer, String field) {
		try {
			return buffer.getLong();
		}
		catch (BufferUnderflowException ex) {
			throw truncated(field);
		}
	}

	/**
	 * Checks that a value fits in a field with a 2-byte length.
	 * @param field names the field for the error; made only if the value does not fit
	 * @param bytes the value
	 */
	static void checkShortField(Supplier<String> field, byte[] bytes) {
		if (bytes.length > MAX_SHORT_FIELD) {
			throw new IllegalArgumentException(field.get() + " is " + bytes.length + " bytes; at most 65535 are allowed");
		}
	}

	private static ProtocolViolationException truncated(String field) {
		return new ProtocolViolationException("payload ends before its " + field + " field");
	}

}
