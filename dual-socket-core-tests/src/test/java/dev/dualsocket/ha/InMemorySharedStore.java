package dev.dualsocket.ha;

import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * A {@link ServedRequestStore} shared by the server endpoints of one test JVM, standing in for the database that
 * instances in several processes share: the same claim rules, kept in a map.
 */
final class InMemorySharedStore implements ServedRequestStore {

	private final ConcurrentHashMap<String, StoredAnswer> answers = new ConcurrentHashMap<>();

	@Override
	public @Nullable StoredAnswer claim(String linkId, RequestKey key) {
		return this.answers.putIfAbsent(linkId + "/" + key.originSession() + "/" + key.originId(), StoredAnswer.IN_DOUBT);
	}

	@Override
	public void complete(String linkId, RequestKey key, StoredAnswer answer) {
		this.answers.put(linkId + "/" + key.originSession() + "/" + key.originId(), answer);
	}

	int size() {
		return this.answers.size();
	}

}
