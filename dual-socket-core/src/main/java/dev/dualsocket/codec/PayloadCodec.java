package dev.dualsocket.codec;

import java.lang.reflect.Type;

import org.jspecify.annotations.Nullable;

/**
 * Converts the objects an application sends and receives to and from the bytes of a frame's payload. A bean of this
 * type replaces the auto-configured one.
 */
public interface PayloadCodec {

	/**
	 * Encodes a payload.
	 * @param value the object to send; {@code null} encodes as an empty payload
	 * @return its bytes
	 * @throws PayloadCodecException if it cannot be encoded
	 */
	byte[] encode(@Nullable Object value);

	/**
	 * Decodes a payload.
	 * @param bytes the payload
	 * @param type the type wanted, possibly generic (for example {@code List<Quote>})
	 * @return the object
	 * @throws PayloadCodecException if the bytes are not a {@code type}
	 */
	@Nullable Object decode(byte[] bytes, Type type);

}
