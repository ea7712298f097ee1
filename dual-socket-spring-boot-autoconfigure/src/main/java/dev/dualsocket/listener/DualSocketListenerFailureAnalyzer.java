package dev.dualsocket.listener;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Shows a {@link DualSocketListenerException} in the Description/Action form of Spring Boot's start-up failures,
 * instead of a stack trace.
 */
class DualSocketListenerFailureAnalyzer extends AbstractFailureAnalyzer<DualSocketListenerException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, DualSocketListenerException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
	}

}
