package dev.dualsocket.sample;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Describes why a request failed, without the wrapping a {@code CompletableFuture} adds.
 */
final class Failures {

	private Failures() {
	}

	static String describe(Throwable failure) {
		Throwable cause = failure;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause.getClass().getSimpleName() + ": " + cause.getMessage();
	}

}
