package dev.dualsocket.autoconfigure;

import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.origin.Origin;

/**
 * The configuration has {@code dual-socket.*} keys that bind to nothing, most likely misspelled. Start-up fails with
 * each key, where it was written, and the known key it was probably meant to be.
 */
public class UnknownDualSocketPropertyException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final transient List<UnknownProperty> properties;

	public UnknownDualSocketPropertyException(List<UnknownProperty> properties) {
		super("Unknown dual-socket properties: " + properties.stream()
			.map(UnknownProperty::toString)
			.collect(Collectors.joining(", ")));
		this.properties = List.copyOf(properties);
	}

	/**
	 * The unknown keys, in the order of their property sources' precedence.
	 * @return at least one
	 */
	public List<UnknownProperty> getProperties() {
		return this.properties;
	}

	/**
	 * One unknown key.
	 *
	 * @param name the key as its property source has it, for example
	 * {@code dual-socket.defaults.hearbeat.interval} or {@code DUAL_SOCKET_DEFAULTS_HEARBEAT_INTERVAL}
	 * @param origin where it was written, for example {@code class path resource [application.yml] - 12:7}
	 * @param closest the known key nearest to it, if one is near enough to be what was meant
	 */
	public record UnknownProperty(String name, @Nullable Origin origin, @Nullable String closest) {

		@Override
		public String toString() {
			return "'" + this.name + "'" + ((this.origin != null) ? " (originating from '" + this.origin + "')" : "")
					+ ((this.closest != null) ? ", did you mean '" + this.closest + "'?" : "");
		}

	}

}
