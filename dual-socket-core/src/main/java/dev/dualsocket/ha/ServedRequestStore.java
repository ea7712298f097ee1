package dev.dualsocket.ha;

import org.jspecify.annotations.Nullable;

/**
 * The requests a server's instances have served, shared between them, so that a request the client re-sends after a
 * failover (with its {@link RequestKey}, section 6.6 of the protocol) is answered from here instead of running again on
 * the instance that took over (seed 004: the standby takes over the failed server's state).
 *
 * <p>An endpoint with a store advertises it to its peers (capability bit 2); without one (the default) it keeps served
 * requests in memory for one session, as before. Calls may block (a database round trip): the engine makes them on a
 * handler thread, never on an I/O thread. Implementations must be safe for concurrent use by several threads and
 * several processes: {@link #claim} must let exactly one caller run a request, whoever asks at the same time.
 *
 * @see JdbcServedRequestStore
 */
public interface ServedRequestStore {

	/**
	 * Claims a request before it runs.
	 * @param linkId the link the request arrived on
	 * @param key the request's key
	 * @return {@code null} if the caller now holds the claim and must run the request, then call {@link #complete};
	 * otherwise what is known of the earlier claim: its answer, or {@link StoredAnswer#IN_DOUBT}
	 */
	@Nullable StoredAnswer claim(String linkId, RequestKey key);

	/**
	 * Stores the answer of a request the caller claimed.
	 * @param linkId the link the request arrived on
	 * @param key the request's key
	 * @param answer the answer sent
	 */
	void complete(String linkId, RequestKey key, StoredAnswer answer);

}
