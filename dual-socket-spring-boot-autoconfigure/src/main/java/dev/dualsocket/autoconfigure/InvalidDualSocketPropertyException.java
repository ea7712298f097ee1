package dev.dualsocket.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * A {@code dual-socket.*} property is missing or has a value the library cannot use. Start-up fails with a message
 * that names the property and what it allows.
 */
public class InvalidDualSocketPropertyException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String property;

	private final @Nullable Object value;

	private final String allowed;

	public InvalidDualSocketPropertyException(String property, @Nullable Object value, String allowed) {
		super(((value != null) ? "Invalid value '" + value + "' for " : "Missing value for ") + property + "; allowed: "
				+ allowed);
		this.property = property;
		this.value = value;
		this.allowed = allowed;
	}

	/**
	 * The full name of the property, for example {@code dual-socket.endpoints.exchange.port}.
	 * @return the property
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * The value found.
	 * @return the value, or {@code null} if the property was missing
	 */
	public @Nullable Object getValue() {
		return this.value;
	}

	/**
	 * What the property allows, in words.
	 * @return for example {@code "1 to 65535"}
	 */
	public String getAllowed() {
		return this.allowed;
	}

}
