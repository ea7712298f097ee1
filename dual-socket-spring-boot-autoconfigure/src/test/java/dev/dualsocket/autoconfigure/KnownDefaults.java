package dev.dualsocket.autoconfigure;

import java.util.Collection;
import java.util.Map;

import dev.dualsocket.autoconfigure.DualSocketPropertyKeys.Key;
import dev.dualsocket.endpoint.EndpointSettings;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.util.ClassUtils;

/**
 * The default of each key as the properties classes have it (and through them the engine's
 * {@code LinkSettings.builder()} and {@link EndpointSettings}), and the parsing of a default as documentation writes it
 * ({@code 1MB}, {@code 100ms}, {@code wait}), for the tests that keep the metadata and the README true.
 */
final class KnownDefaults {

	private static final String ENDPOINT = "endpoints." + DualSocketPropertyKeys.NAME + ".";

	/** The limits left unset on an endpoint, so that one set on a client is refused; the mapper applies these. */
	private static final Map<String, Integer> SERVER_LIMITS = Map.of("max-links", EndpointSettings.DEFAULT_MAX_LINKS,
			"max-pending-handshakes", EndpointSettings.DEFAULT_MAX_PENDING_HANDSHAKES, "max-connections-per-address",
			EndpointSettings.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS);

	private KnownDefaults() {
	}

	/**
	 * The key's default: an endpoint's override has the default's.
	 * @param key the key
	 * @return the default, or {@code null} if it has none (required, or unset means none)
	 */
	static @Nullable Object of(Key key) {
		String name = (key.overrides() != null) ? key.overrides() : key.name();
		Object value;
		int entry = name.lastIndexOf("." + DualSocketPropertyKeys.NAME + ".");
		if (name.startsWith(ENDPOINT) && entry >= ENDPOINT.length() - 1) {
			// A key of an entry of a map inside an endpoint (smpp.accounts.<name>.password): a fresh entry's value.
			value = read(BeanUtils.instantiateClass(key.source()),
					name.substring(entry + DualSocketPropertyKeys.NAME.length() + 2));
		}
		else if (name.startsWith(ENDPOINT)) {
			String property = name.substring(ENDPOINT.length());
			value = read(new DualSocketProperties.Endpoint(), property);
			if (value == null) {
				value = SERVER_LIMITS.get(property);
			}
		}
		else {
			value = read(new DualSocketProperties(), name);
		}
		return (value instanceof Collection<?> collection && collection.isEmpty()) ? null : value;
	}

	/**
	 * Parses a default as the documentation writes it, into the key's type.
	 * @param key the key
	 * @param text for example {@code 1MB}
	 * @return the value
	 */
	static @Nullable Object parse(Key key, String text) {
		Class<?> type = ClassUtils.resolvePrimitiveIfNecessary(key.type().toClass());
		return ApplicationConversionService.getSharedInstance().convert(text, type);
	}

	private static @Nullable Object read(Object root, String dashed) {
		StringBuilder path = new StringBuilder();
		boolean upper = false;
		for (char c : dashed.toCharArray()) {
			if (c == '-') {
				upper = true;
			}
			else {
				path.append(upper ? Character.toUpperCase(c) : c);
				upper = false;
			}
		}
		return new BeanWrapperImpl(root).getPropertyValue(path.toString());
	}

}
