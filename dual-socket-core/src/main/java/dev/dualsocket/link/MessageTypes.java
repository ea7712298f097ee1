package dev.dualsocket.link;

import org.jspecify.annotations.Nullable;

/**
 * The message type (section 2.1 of the protocol) that goes with a payload object when the caller names none: none
 * for raw bytes and text, the simple name of the payload's class otherwise ({@code QuoteRequest} for a
 * {@code com.example.QuoteRequest}), so that a peer's listener for that type answers it. A peer in another language
 * sends the same names.
 */
public final class MessageTypes {

	private MessageTypes() {
	}

	/**
	 * The message type of a payload.
	 * @param payload the payload
	 * @return the type, or {@code null} for {@code byte[]} and {@code String}
	 */
	public static @Nullable String of(Object payload) {
		return of(payload.getClass());
	}

	/**
	 * The message type of payloads of a class.
	 * @param type the class
	 * @return the type, or {@code null} for {@code byte[]} and {@code String}
	 */
	public static @Nullable String of(Class<?> type) {
		if (type == byte[].class || type == String.class) {
			return null;
		}
		return type.getSimpleName();
	}

}
