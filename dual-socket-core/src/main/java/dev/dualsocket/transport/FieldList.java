package dev.dualsocket.transport;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A field list (section 2.1 of the protocol): optional, keyed values that extend a frame or a handshake without a new
 * protocol version. Keys below {@code 0x8000} are optional and skipped when unknown; keys from {@code 0x8000} are
 * critical, and a receiver that does not know one refuses what carries it.
 */
public final class FieldList {

	/** The list with no entries. */
	public static final FieldList EMPTY = new FieldList(Map.of());

	/** Keys from this one up are critical. */
	public static final int CRITICAL = 0x8000;

	private final Map<Integer, byte[]> entries;

	private FieldList(Map<Integer, byte[]> entries) {
		this.entries = entries;
	}

	/**
	 * Starts a list.
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The value of a key.
	 * @param key the key
	 * @return its value, or {@code null} if the list does not hold it
	 */
	public byte @Nullable [] get(int key) {
		byte[] value = this.entries.get(key);
		return (value != null) ? value.clone() : null;
	}

	public boolean isEmpty() {
		return this.entries.isEmpty();
	}

	/**
	 * This list with one more entry, or with the value of a key it holds replaced.
	 * @param key 0 to 0xffff
	 * @param value at most 65535 bytes
	 * @return the new list
	 */
	public FieldList with(int key, byte[] value) {
		Builder builder = new Builder();
		builder.entries.putAll(this.entries);
		return builder.put(key, value).build();
	}

	/**
	 * Checks that every critical key in the list is one the reader knows.
	 * @param known the keys the reader understands
	 * @param where what carries the list, for the error message
	 * @throws ProtocolViolationException naming the first unknown critical key
	 */
	void requireKnownCritical(Set<Integer> known, String where) {
		for (int key : this.entries.keySet()) {
			if (key >= CRITICAL && !known.contains(key)) {
				throw new ProtocolViolationException(String.format("unknown critical field 0x%04x in %s", key, where));
			}
		}
	}

	/** Bytes of the encoded list, its own length prefix included. */
	int encodedLength() {
		int length = 2;
		for (byte[] value : this.entries.values()) {
			length += 4 + value.length;
		}
		return length;
	}

	void writeTo(ByteBuffer buffer) {
		buffer.putShort((short) (encodedLength() - 2));
		this.entries.forEach((key, value) -> {
			buffer.putShort(key.shortValue());
			buffer.putShort((short) value.length);
			buffer.put(value);
		});
	}

	/**
	 * Reads the field list that ends a handshake frame's payload (sections 4.1, 4.2 and 4.5 of the protocol): nothing
	 * may follow it, and every critical key in it must be known.
	 * @param buffer the payload, at the list
	 * @param where what carries the list, for error messages
	 * @param known the keys the reader understands
	 * @return the list
	 * @throws ProtocolViolationException if it does not fit, holds a key twice or an unknown critical one, or bytes
	 * follow it
	 */
	static FieldList readLast(ByteBuffer buffer, String where, Set<Integer> known) {
		FieldList fields = readFrom(buffer, where);
		if (buffer.hasRemaining()) {
			throw new ProtocolViolationException(buffer.remaining() + " bytes follow the field list of " + where);
		}
		fields.requireKnownCritical(known, where);
		return fields;
	}

	/**
	 * Reads a field list from the buffer's position, leaving the position after it.
	 * @param buffer the payload
	 * @param where what carries the list, for error messages
	 * @return the list
	 * @throws ProtocolViolationException if it does not fit or holds a key twice
	 */
	static FieldList readFrom(ByteBuffer buffer, String where) {
		int length = Wire.getUnsignedShort(buffer, "field list of " + where);
		if (buffer.remaining() < length) {
			throw new ProtocolViolationException("the field list of " + where + " declares " + length
					+ " bytes but only " + buffer.remaining() + " follow");
		}
		if (length == 0) {
			return EMPTY;
		}
		ByteBuffer list = buffer.slice(buffer.position(), length);
		buffer.position(buffer.position() + length);
		Map<Integer, byte[]> entries = new LinkedHashMap<>();
		while (list.hasRemaining()) {
			if (list.remaining() < 4) {
				throw new ProtocolViolationException("a field of " + where + " does not fit in its field list");
			}
			int key = Short.toUnsignedInt(list.getShort());
			int size = Short.toUnsignedInt(list.getShort());
			if (list.remaining() < size) {
				throw new ProtocolViolationException(
						String.format("field 0x%04x of %s does not fit in its field list", key, where));
			}
			byte[] value = new byte[size];
			list.get(value);
			if (entries.put(key, value) != null) {
				throw new ProtocolViolationException(String.format("field 0x%04x appears twice in %s", key, where));
			}
		}
		return new FieldList(entries);
	}

	@Override
	public boolean equals(@Nullable Object other) {
		if (!(other instanceof FieldList that) || !this.entries.keySet().equals(that.entries.keySet())) {
			return false;
		}
		return this.entries.entrySet()
			.stream()
			.allMatch((entry) -> Arrays.equals(entry.getValue(), that.entries.get(entry.getKey())));
	}

	@Override
	public int hashCode() {
		return this.entries.keySet().hashCode();
	}

	@Override
	public String toString() {
		// Values may be secrets (nonces, proofs): only the keys are shown.
		StringBuilder text = new StringBuilder("FieldList[");
		this.entries.keySet().forEach((key) -> text.append(String.format(" 0x%04x", key)));
		return text.append(" ]").toString();
	}

	/**
	 * Builds a {@link FieldList}; entries keep the order they were added in.
	 */
	public static final class Builder {

		private final Map<Integer, byte[]> entries = new LinkedHashMap<>();

		private Builder() {
		}

		/**
		 * Adds an entry.
		 * @param key 0 to 0xffff
		 * @param value at most 65535 bytes
		 * @return this builder
		 */
		public Builder put(int key, byte[] value) {
			if (key < 0 || key > 0xFFFF) {
				throw new IllegalArgumentException("field key must be 0 to 0xffff, was " + key);
			}
			Wire.checkShortField(() -> String.format("field 0x%04x", key), value);
			this.entries.put(key, value.clone());
			return this;
		}

		public Builder putInt(int key, int value) {
			return put(key, ByteBuffer.allocate(4).putInt(value).array());
		}

		public FieldList build() {
			return this.entries.isEmpty() ? EMPTY : new FieldList(new LinkedHashMap<>(this.entries));
		}

	}

}
