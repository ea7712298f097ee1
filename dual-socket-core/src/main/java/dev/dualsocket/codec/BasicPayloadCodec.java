package dev.dualsocket.codec;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * Handles {@code byte[]} (as it is) and {@code String} (UTF-8); anything else goes to a fallback codec, or is refused
 * when there is none.
 */
public class BasicPayloadCodec implements PayloadCodec {

	private static final byte[] EMPTY = new byte[0];

	private final @Nullable PayloadCodec fallback;

	/** A codec for {@code byte[]} and {@code String} only. */
	public BasicPayloadCodec() {
		this(null);
	}

	/**
	 * A codec for {@code byte[]} and {@code String} that hands every other type to {@code fallback}.
	 * @param fallback the codec for other types, or {@code null}
	 */
	public BasicPayloadCodec(@Nullable PayloadCodec fallback) {
		this.fallback = fallback;
	}

	@Override
	public byte[] encode(@Nullable Object value) {
		if (value == null) {
			return EMPTY;
		}
		if (value instanceof byte[] bytes) {
			return bytes;
		}
		if (value instanceof String text) {
			return text.getBytes(StandardCharsets.UTF_8);
		}
		if (this.fallback != null) {
			return this.fallback.encode(value);
		}
		throw new PayloadCodecException("Cannot encode a " + value.getClass().getName()
				+ ": only byte[] and String are supported without Jackson on the classpath or a PayloadCodec bean");
	}

	@Override
	public @Nullable Object decode(byte[] bytes, Type type) {
		if (type == byte[].class) {
			return bytes;
		}
		if (type == String.class) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		if (type == Void.class || type == void.class) {
			return null;
		}
		if (this.fallback != null) {
			return this.fallback.decode(bytes, type);
		}
		throw new PayloadCodecException("Cannot decode to " + type.getTypeName()
				+ ": only byte[] and String are supported without Jackson on the classpath or a PayloadCodec bean");
	}

}
