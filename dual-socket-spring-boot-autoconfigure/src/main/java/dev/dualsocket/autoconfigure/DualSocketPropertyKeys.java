package dev.dualsocket.autoconfigure;

import java.beans.PropertyDescriptor;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.core.ResolvableType;

/**
 * Every key that binds to {@link DualSocketProperties}, found by walking its classes the way the binder does: a
 * property with a setter is a key, a nested properties class is a group of keys, and the values of the
 * {@code endpoints} map are keys under {@code endpoints.<name>.}. One list serves the check for unknown keys, and the
 * tests that keep the configuration metadata and the README's "Configuration reference" true.
 */
final class DualSocketPropertyKeys {

	/** The prefix of every key. */
	static final String PREFIX = "dual-socket";

	/** Stands for an endpoint's name, the key of the {@code endpoints} map, as in the README and the metadata. */
	static final String NAME = "<name>";

	private static final List<Key> KEYS = walk();

	private DualSocketPropertyKeys() {
	}

	/**
	 * The keys, sorted by name.
	 * @return every key, relative to {@link #PREFIX}
	 */
	static List<Key> all() {
		return KEYS;
	}

	private static List<Key> walk() {
		List<Key> keys = new ArrayList<>();
		walk("", DualSocketProperties.class, keys);
		Set<String> names = keys.stream().map(Key::name).collect(Collectors.toSet());
		String endpoint = "endpoints." + NAME + ".";
		return keys.stream().map((key) -> {
			String defaults = key.name().startsWith(endpoint) ? "defaults." + key.name().substring(endpoint.length())
					: null;
			return (defaults != null && names.contains(defaults)) ? key.overriding(defaults) : key;
		}).sorted(Comparator.comparing(Key::name)).toList();
	}

	private static void walk(String prefix, Class<?> type, List<Key> keys) {
		for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
			Method getter = property.getReadMethod();
			if (getter == null || getter.getDeclaringClass() == Object.class) {
				continue;
			}
			String name = prefix + DataObjectPropertyName.toDashedForm(property.getName());
			ResolvableType propertyType = ResolvableType.forMethodReturnType(getter, type);
			Class<?> raw = propertyType.toClass();
			if (Map.class.isAssignableFrom(raw)) {
				walk(name + "." + NAME + ".", propertyType.asMap().getGeneric(1).toClass(), keys);
			}
			else if (raw.getDeclaringClass() == DualSocketProperties.class && !raw.isEnum()) {
				walk(name + ".", raw, keys);
			}
			else if (property.getWriteMethod() != null) {
				keys.add(new Key(name, propertyType, getter.getDeclaringClass(), null));
			}
		}
	}

	/**
	 * One key.
	 *
	 * @param name the key relative to {@code dual-socket.}, in its dashed form, for example
	 * {@code defaults.heartbeat.interval} or {@code endpoints.<name>.port}
	 * @param type the type it binds to
	 * @param source the properties class that declares it
	 * @param overrides for an endpoint's key that overrides a default: that default's key, for example
	 * {@code defaults.heartbeat.interval}; otherwise {@code null}
	 */
	record Key(String name, ResolvableType type, Class<?> source, @Nullable String overrides) {

		/**
		 * Whether the key takes a list, so that it may also be written with an index ({@code standby[0]}).
		 * @return whether it binds to a collection
		 */
		boolean indexed() {
			return Collection.class.isAssignableFrom(this.type.toClass()) || this.type.isArray();
		}

		/**
		 * The elements of the full name, each in the uniform form (lower case, letters and digits only) that the
		 * binder compares; {@code null} stands for an endpoint's name.
		 * @return the elements, {@code dualsocket} first
		 */
		List<@Nullable String> uniformElements() {
			List<@Nullable String> elements = new ArrayList<>();
			elements.add(uniform(PREFIX));
			for (String element : this.name.split("\\.")) {
				elements.add(NAME.equals(element) ? null : uniform(element));
			}
			return elements;
		}

		private Key overriding(String defaults) {
			return new Key(this.name, this.type, this.source, defaults);
		}

	}

	/**
	 * The form in which the binder compares names: lower case, letters and digits only.
	 * @param text a name or part of one
	 * @return its uniform form
	 */
	static String uniform(String text) {
		StringBuilder uniform = new StringBuilder(text.length());
		for (char c : text.toCharArray()) {
			if (Character.isLetterOrDigit(c)) {
				uniform.append(Character.toLowerCase(c));
			}
		}
		return uniform.toString();
	}

}
