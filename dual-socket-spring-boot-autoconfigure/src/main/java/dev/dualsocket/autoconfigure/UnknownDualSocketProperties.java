package dev.dualsocket.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.dualsocket.autoconfigure.DualSocketPropertyKeys.Key;
import dev.dualsocket.autoconfigure.UnknownDualSocketPropertyException.UnknownProperty;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Finds the {@code dual-socket.*} keys in the environment that bind to nothing, so that a misspelled key fails
 * start-up instead of being ignored. A key is read in every form the binder reads it: dashed, camel case and
 * underscores in files and arguments ({@code request-timeout}, {@code requestTimeout}, {@code request_timeout}),
 * indexed lists ({@code standby[0]}), and environment variables ({@code DUAL_SOCKET_DEFAULTS_REQUEST_TIMEOUT}), in
 * which a key's dashes and dots are alike.
 */
final class UnknownDualSocketProperties {

	private static final String ROOT = DualSocketPropertyKeys.uniform(DualSocketPropertyKeys.PREFIX);

	private UnknownDualSocketProperties() {
	}

	/**
	 * Checks every enumerable property source of the environment.
	 * @param environment the application's environment
	 * @throws UnknownDualSocketPropertyException naming each unknown key, where it was written, and the closest known
	 * key
	 */
	static void check(Environment environment) {
		if (!(environment instanceof ConfigurableEnvironment configurable)) {
			return;
		}
		Set<UnknownProperty> unknown = new LinkedHashSet<>();
		for (PropertySource<?> source : configurable.getPropertySources()) {
			if (source instanceof EnumerablePropertySource<?> enumerable
					&& !ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)) {
				for (String name : enumerable.getPropertyNames()) {
					Candidate candidate = Candidate.of(name, source instanceof SystemEnvironmentPropertySource);
					if (candidate != null && !candidate.isKnown()) {
						unknown.add(new UnknownProperty(name, PropertySourceOrigin.get(source, name), candidate.closest()));
					}
				}
			}
		}
		if (!unknown.isEmpty()) {
			throw new UnknownDualSocketPropertyException(List.copyOf(unknown));
		}
	}

	/**
	 * A name under {@code dual-socket}, as elements in the uniform form.
	 *
	 * @param elements the elements, {@code dualsocket} (or, from an environment variable, {@code dual} and
	 * {@code socket}) first
	 * @param indexes which elements are list indexes
	 * @param written the elements as written (dashed), to name an endpoint in a suggestion
	 * @param spanning whether an element of a key may span several of these (an environment variable's underscores
	 * stand for both dots and dashes)
	 */
	private record Candidate(List<String> elements, List<Boolean> indexes, List<String> written, boolean spanning) {

		static @Nullable Candidate of(String name, boolean environmentVariable) {
			List<String> elements = new ArrayList<>();
			List<Boolean> indexes = new ArrayList<>();
			List<String> written = new ArrayList<>();
			if (environmentVariable && name.indexOf('.') < 0) {
				String lower = name.toLowerCase(Locale.ROOT);
				if (!lower.startsWith("dual_socket_") && !lower.startsWith("dualsocket_")) {
					return null;
				}
				for (String element : lower.split("_")) {
					if (!element.isEmpty()) {
						elements.add(DualSocketPropertyKeys.uniform(element));
						indexes.add(element.chars().allMatch(Character::isDigit));
						written.add(element);
					}
				}
				return new Candidate(elements, indexes, written, true);
			}
			ConfigurationPropertyName adapted = ConfigurationPropertyName.adapt(name, '.');
			if (adapted.getNumberOfElements() < 2 || !adapted.getElement(0, Form.UNIFORM).equals(ROOT)) {
				return null;
			}
			for (int i = 0; i < adapted.getNumberOfElements(); i++) {
				elements.add(adapted.getElement(i, Form.UNIFORM));
				indexes.add(adapted.isNumericIndex(i));
				written.add(adapted.getElement(i, Form.DASHED));
			}
			return new Candidate(elements, indexes, written, false);
		}

		boolean isKnown() {
			for (Key key : DualSocketPropertyKeys.all()) {
				if (matches(key.uniformElements(), 0, 0, key.indexed())) {
					return true;
				}
			}
			return false;
		}

		/** Whether key elements from {@code k} on match the elements from {@code c} on. */
		private boolean matches(List<@Nullable String> key, int k, int c, boolean indexed) {
			if (k == key.size()) {
				return c == this.elements.size() || (indexed && c == this.elements.size() - 1 && this.indexes.get(c));
			}
			String expected = key.get(k);
			int last = this.spanning ? this.elements.size() : Math.min(c + 1, this.elements.size());
			StringBuilder spanned = new StringBuilder();
			for (int end = c; end < last && (expected == null || !this.indexes.get(end)); end++) {
				spanned.append(this.elements.get(end));
				if ((expected == null || expected.contentEquals(spanned)) && matches(key, k + 1, end + 1, indexed)) {
					return true;
				}
				if (expected != null && !expected.startsWith(spanned.toString())) {
					return false;
				}
			}
			return false;
		}

		/**
		 * The known key nearest to this one by edit distance (an endpoint's name taken as written), if it is near
		 * enough to be a misspelling of it.
		 */
		@Nullable String closest() {
			int start = 0;
			StringBuilder root = new StringBuilder();
			while (start < this.elements.size() && !root.toString().equals(ROOT)) {
				root.append(this.elements.get(start++));
			}
			String written = String.join("", this.elements.subList(start, this.elements.size()));
			String endpointName = (this.elements.size() > start + 1) ? this.written.get(start + 1) : "";
			String closest = null;
			int best = Integer.MAX_VALUE;
			for (Key key : DualSocketPropertyKeys.all()) {
				String known = key.name().replace(DualSocketPropertyKeys.NAME, endpointName);
				int distance = distance(written, DualSocketPropertyKeys.uniform(known));
				if (distance < best) {
					best = distance;
					closest = DualSocketPropertyKeys.PREFIX + "." + known;
				}
			}
			return (best <= Math.max(2, written.length() / 3)) ? closest : null;
		}

		/** Levenshtein distance. */
		private static int distance(String a, String b) {
			int[] previous = new int[b.length() + 1];
			int[] current = new int[b.length() + 1];
			for (int j = 0; j <= b.length(); j++) {
				previous[j] = j;
			}
			for (int i = 1; i <= a.length(); i++) {
				current[0] = i;
				for (int j = 1; j <= b.length(); j++) {
					int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
					current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
				}
				int[] swap = previous;
				previous = current;
				current = swap;
			}
			return previous[b.length()];
		}

	}

}
