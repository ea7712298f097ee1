package dev.dualsocket.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a start-up failure caused by a missing or unusable {@code dual-socket.*} property.
 */
class InvalidDualSocketPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidDualSocketPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidDualSocketPropertyException cause) {
		String description = (cause.getValue() != null)
				? "The dual-socket property '" + cause.getProperty() + "' has the value '" + cause.getValue()
						+ "', which cannot be used."
				: "The dual-socket property '" + cause.getProperty() + "' is required but not set.";
		return new FailureAnalysis(description,
				"Set '" + cause.getProperty() + "' in your application's configuration. Allowed: " + cause.getAllowed()
						+ ".",
				cause);
	}

}
