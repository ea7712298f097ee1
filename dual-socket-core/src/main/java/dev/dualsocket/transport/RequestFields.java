package dev.dualsocket.transport;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The header fields of a {@code REQUEST} (section 2.1 of the protocol) and their rules, checked the same way for what
 * this side sends and for what it receives.
 */
public final class RequestFields {

	/** Field key: the message type, 1 to 255 bytes of UTF-8 without control characters. */
	public static final int MESSAGE_TYPE = 0x0001;

	/** Field key: a W3C {@code traceparent}, exactly 55 bytes. */
	public static final int TRACEPARENT = 0x0002;

	/** Field key: a W3C {@code tracestate}, 1 to 512 bytes, only with a {@code traceparent}. */
	public static final int TRACESTATE = 0x0003;

	/**
	 * Field key: the request key, exactly 16 bytes: the requester's session id when it first sent the request and the
	 * request's id there, two i64 (section 6.6).
	 */
	public static final int REQUEST_KEY = 0x0004;

	/** The most bytes of UTF-8 a message type may have. */
	public static final int MAX_MESSAGE_TYPE_LENGTH = 255;

	/** The most bytes a {@code tracestate} may have. */
	public static final int MAX_TRACESTATE_LENGTH = 512;

	private static final Pattern TRACEPARENT_FORM = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

	private RequestFields() {
	}

	/**
	 * Checks the header fields of a received {@code REQUEST}.
	 * @param fields the fields
	 * @throws ProtocolViolationException if one breaks its rule
	 */
	public static void check(FieldList fields) {
		if (fields.isEmpty()) {
			return;
		}
		byte[] key = fields.get(REQUEST_KEY);
		if (key != null && (key.length != 16 || ByteBuffer.wrap(key).getLong() == 0)) {
			throw new ProtocolViolationException("a request key is 16 bytes whose session is not 0");
		}
		check(utf8(fields.get(MESSAGE_TYPE), "message type"), ascii(fields.get(TRACEPARENT)),
				ascii(fields.get(TRACESTATE)), ProtocolViolationException::new);
	}

	/**
	 * Checks header values.
	 * @param <E> the exception thrown
	 * @param messageType the message type, or {@code null}
	 * @param traceParent the {@code traceparent}, or {@code null}
	 * @param traceState the {@code tracestate}, or {@code null}
	 * @param failure makes the exception from the rule that was broken
	 * @throws E if a value breaks its rule
	 */
	public static <E extends RuntimeException> void check(@Nullable String messageType, @Nullable String traceParent,
			@Nullable String traceState, Function<String, E> failure) {
		if (messageType != null) {
			int length = messageType.getBytes(StandardCharsets.UTF_8).length;
			if (length == 0 || length > MAX_MESSAGE_TYPE_LENGTH) {
				throw failure.apply("a message type is 1 to " + MAX_MESSAGE_TYPE_LENGTH + " bytes of UTF-8, was " + length);
			}
			for (int i = 0; i < messageType.length(); i++) {
				if (Character.isISOControl(messageType.charAt(i))) {
					throw failure.apply(String.format("a message type holds no control character; U+%04X at %d",
							(int) messageType.charAt(i), i));
				}
			}
		}
		if (traceParent != null && (traceParent.length() != 55 || !TRACEPARENT_FORM.matcher(traceParent).matches())) {
			throw failure.apply("a traceparent is 55 characters of the form 00-<32 hex>-<16 hex>-<2 hex>");
		}
		if (traceState != null) {
			if (traceParent == null) {
				throw failure.apply("a tracestate comes only with a traceparent");
			}
			int length = traceState.getBytes(StandardCharsets.UTF_8).length;
			if (length == 0 || length > MAX_TRACESTATE_LENGTH) {
				throw failure.apply("a tracestate is 1 to " + MAX_TRACESTATE_LENGTH + " bytes, was " + length);
			}
		}
	}

	private static @Nullable String utf8(byte @Nullable [] value, String what) {
		if (value == null) {
			return null;
		}
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(value))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new ProtocolViolationException(what + " is not valid UTF-8");
		}
	}

	private static @Nullable String ascii(byte @Nullable [] value) {
		return (value != null) ? new String(value, StandardCharsets.ISO_8859_1) : null;
	}

}
