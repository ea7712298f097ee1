package dev.dualsocket.autoconfigure;

import java.util.stream.Collectors;

import dev.dualsocket.autoconfigure.UnknownDualSocketPropertyException.UnknownProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a start-up failure caused by {@code dual-socket.*} keys that bind to nothing: each key with its origin, and
 * the known key it was probably meant to be.
 */
class UnknownDualSocketPropertyFailureAnalyzer extends AbstractFailureAnalyzer<UnknownDualSocketPropertyException> {

	private static final String KNOWN = "the keys under dual-socket.defaults., dual-socket.endpoints.<name>., "
			+ "dual-socket.transport. and dual-socket.readiness. listed in the README's \"Configuration reference\"";

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, UnknownDualSocketPropertyException cause) {
		String description = cause.getProperties()
			.stream()
			.map((property) -> "The property '" + property.name() + "'"
					+ ((property.origin() != null) ? " (originating from '" + property.origin() + "')" : "")
					+ " is not a dual-socket property.")
			.collect(Collectors.joining(System.lineSeparator()));
		String action = cause.getProperties()
			.stream()
			.map(UnknownDualSocketPropertyFailureAnalyzer::action)
			.collect(Collectors.joining(System.lineSeparator()));
		return new FailureAnalysis(description, action, cause);
	}

	private static String action(UnknownProperty property) {
		return (property.closest() != null)
				? "Did you mean '" + property.closest() + "'? Correct '" + property.name() + "', or remove it."
				: "Remove '" + property.name() + "', or correct it to one of " + KNOWN + ".";
	}

}
