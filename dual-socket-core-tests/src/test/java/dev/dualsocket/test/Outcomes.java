package dev.dualsocket.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

import dev.dualsocket.LinkDisconnectedException;

/**
 * What each caller of a load test got, per payload: its answer or the exception. Answers are of the form
 * {@code <who>:<payload>}, so that a wrong answer (another request's) shows.
 */
public final class Outcomes {

	private final Map<String, Object> byPayload = new ConcurrentHashMap<>();

	public void answered(String payload, String answer) {
		this.byPayload.put(payload, answer);
	}

	public void failed(String payload, Throwable failure) {
		Throwable cause = failure;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
			cause = cause.getCause();
		}
		this.byPayload.put(payload, cause);
	}

	public int size() {
		return this.byPayload.size();
	}

	public Collection<Object> all() {
		return this.byPayload.values();
	}

	/** Whether some caller got a {@link LinkDisconnectedException}. */
	public boolean anyDisconnected() {
		return this.byPayload.values().stream().anyMatch(LinkDisconnectedException.class::isInstance);
	}

	/**
	 * Every answer is its own request's, and every failure is a clear {@link LinkDisconnectedException} (the request
	 * may or may not have run): never another request's answer, never another kind of failure.
	 */
	public void assertNoWrongAnswer() {
		assertThat(this.byPayload).allSatisfy((payload, outcome) -> {
			if (outcome instanceof String answer) {
				assertThat(answer).as(payload).endsWith(":" + payload);
			}
			else {
				assertThat(outcome).as(payload).isInstanceOf(LinkDisconnectedException.class);
			}
		});
	}

	/** Each payload that was answered, for checks against the handler's record. */
	public Collection<String> answeredPayloads() {
		return this.byPayload.entrySet().stream().filter((entry) -> entry.getValue() instanceof String)
			.map(Map.Entry::getKey).toList();
	}

}
