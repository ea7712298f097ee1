package dev.dualsocket.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.core.env.Environment;

/**
 * Explains a start-up failure caused by a missing or unusable {@code dual-socket.*} property, with where the value
 * was written (file and line, environment variable, argument) when the environment knows it, as Spring Boot's own
 * analysis of an invalid property value does.
 */
class InvalidDualSocketPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidDualSocketPropertyException> {

	private final @Nullable Environment environment;

	InvalidDualSocketPropertyFailureAnalyzer(@Nullable Environment environment) {
		this.environment = environment;
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidDualSocketPropertyException cause) {
		Origin origin = (this.environment != null) ? originOf(cause.getProperty(), this.environment) : null;
		String property = "The dual-socket property '" + cause.getProperty() + "'"
				+ ((origin != null) ? " (originating from '" + origin + "')" : "");
		String description = (cause.getValue() != null)
				? property + " has the value '" + cause.getValue() + "', which cannot be used."
				: property + " is required but not set.";
		return new FailureAnalysis(description,
				"Set '" + cause.getProperty() + "' in your application's configuration. Allowed: " + cause.getAllowed()
						+ ".",
				cause);
	}

	/**
	 * Where the value in effect was written: the first property source that has it, in any form the binder reads. An
	 * element of a list given as one comma-separated value has the origin of that value.
	 */
	static @Nullable Origin originOf(String property, Environment environment) {
		ConfigurationPropertyName name = ConfigurationPropertyName.adapt(property, '.');
		while (!name.isEmpty()) {
			for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
				ConfigurationProperty found = source.getConfigurationProperty(name);
				if (found != null) {
					return found.getOrigin();
				}
			}
			if (!name.isLastElementIndexed()) {
				return null;
			}
			name = name.chop(name.getNumberOfElements() - 1);
		}
		return null;
	}

}
