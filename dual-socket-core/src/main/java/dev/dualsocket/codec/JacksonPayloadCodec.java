package dev.dualsocket.codec;

import java.lang.reflect.Type;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Encodes other types as JSON with Jackson; {@code byte[]} and {@code String} still pass as they are.
 */
public class JacksonPayloadCodec extends BasicPayloadCodec {

	public JacksonPayloadCodec(JsonMapper jsonMapper) {
		super(new Json(jsonMapper));
	}

	private record Json(JsonMapper mapper) implements PayloadCodec {

		@Override
		public byte[] encode(@Nullable Object value) {
			try {
				return this.mapper.writeValueAsBytes(value);
			}
			catch (JacksonException ex) {
				throw new PayloadCodecException("Cannot encode a " + ((value != null) ? value.getClass().getName() : null)
						+ " as JSON: " + ex.getOriginalMessage(), ex);
			}
		}

		@Override
		public @Nullable Object decode(byte[] bytes, Type type) {
			JavaType javaType = this.mapper.getTypeFactory().constructType(type);
			try {
				return this.mapper.readValue(bytes, javaType);
			}
			catch (JacksonException ex) {
				throw new PayloadCodecException(
						"Cannot decode " + bytes.length + " bytes of JSON to " + type.getTypeName() + ": "
								+ ex.getOriginalMessage(),
						ex);
			}
		}

	}

}
